using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Telephony.Host.Security;

/// <summary>
/// ASP.NET Core authentication scheme <see cref="SchemeName"/>: a console session from <c>Authorization: Bearer &lt;token&gt;</c>
/// (RFC 6750 §2.1, scripts) or, failing that, the <see cref="CookieName"/> cookie (browsers). The session must be valid
/// and its user must still exist in the configuration with the same role (changing or removing an account ends its
/// sessions). A challenge answers 401 with a JSON reason and <c>WWW-Authenticate: Bearer</c>.
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ConsoleSessions sessions, AccountDirectory accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ConsoleSession";

    /// <summary>Session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS, path /).</summary>
    public const string CookieName = "telephony_session";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        string method = "bearer";
        string authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = authorization["Bearer ".Length..].Trim();
        }
        else if (Request.Cookies.TryGetValue(CookieName, out string? cookie))
        {
            token = cookie;
            method = "cookie";
        }

        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (sessions.Find(token) is not { } session
            || accounts.Find(session.User) is not { } account || account.Role != session.Role)
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid or expired session"));
        }

        return Task.FromResult(AuthenticateResult.Success(
            new AuthenticationTicket(ConsoleIdentity.Principal(session, method, SchemeName), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"telephony\"";
        AuthenticateResult result = await Context.AuthenticateAsync(SchemeName).ConfigureAwait(false);
        string reason = result.Failure is { } failure
            ? failure.Message
            : "log in first: POST /api/auth/login, then send Authorization: Bearer <token> or the session cookie";
        await Response.WriteAsJsonAsync(new { error = "unauthorized", reason }).ConfigureAwait(false);
    }
}
