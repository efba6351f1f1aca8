using System.Security.Claims;

namespace Telephony.Host.Security;

/// <summary>The authenticated console user of a request: user name (extension number or account), role, session id and
/// how the request proved it (<c>bearer</c> or <c>cookie</c>).</summary>
public sealed record ConsoleIdentity(string User, string Role, string SessionId, string Method)
{
    public const string SessionClaim = "telephony:session";
    public const string MethodClaim = "telephony:auth";

    /// <summary>True for supervisors and admins, who see every queue, agent, call and recording.</summary>
    public bool SeesAll => ConsoleRoles.SeesAll(Role);

    public bool IsAdmin => Role == ConsoleRoles.Admin;

    /// <summary>The identity in <paramref name="principal"/>, or null when unauthenticated.</summary>
    public static ConsoleIdentity? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity is not { IsAuthenticated: true } identity
            || identity.Name is not { } name
            || principal.FindFirstValue(ClaimTypes.Role) is not { } role)
        {
            return null;
        }

        return new ConsoleIdentity(name, role, principal.FindFirstValue(SessionClaim) ?? "", principal.FindFirstValue(MethodClaim) ?? "");
    }

    /// <summary>The claims principal for <paramref name="session"/> authenticated by <paramref name="method"/>.</summary>
    public static ClaimsPrincipal Principal(ConsoleSession session, string method, string scheme)
    {
        ArgumentNullException.ThrowIfNull(session);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, session.User),
                new Claim(ClaimTypes.Role, session.Role),
                new Claim(SessionClaim, session.Id),
                new Claim(MethodClaim, method),
            ], scheme, ClaimTypes.Name, ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }
}
