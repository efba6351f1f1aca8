using System.Globalization;
using System.Security.Claims;
using Telephony.Host.Security;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// Console login and sessions: <c>POST /api/auth/login</c> <c>{"user","password"}</c> → 200
/// <c>{token, user, role, expiresAt}</c> plus the session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS), 401 for
/// bad credentials (unknown user and wrong password alike), 429 with <c>Retry-After</c> while throttled;
/// <c>POST /api/auth/logout</c> ends the caller's session; <c>GET /api/auth/me</c> says who the caller is;
/// <c>POST /api/auth/revoke</c> <c>{"user"}</c> (admin) ends every session of a user.
/// </summary>
public static class AuthApi
{
    public sealed record LoginRequest(string? User, string? Password);

    public sealed record RevokeRequest(string? User);

    public static void MapAuthApi(this WebApplication app)
    {
        app.MapPost("/api/auth/login", LoginAsync).AllowAnonymous();

        app.MapPost("/api/auth/logout", async (HttpContext context, ClaimsPrincipal principal, ConsoleSessions sessions, IAuditTrail audit) =>
        {
            ConsoleIdentity who = ConsoleIdentity.From(principal)!;
            await sessions.RevokeAsync(who.SessionId, context.RequestAborted).ConfigureAwait(false);
            context.Response.Cookies.Delete(SessionAuthenticationHandler.CookieName, CookieOptions(context, null));
            await audit.RecordAsync(Entry(context, who, AuditActions.Logout, who.User, AuditOutcomes.Ok), context.RequestAborted)
                .ConfigureAwait(false);
            return Results.Json(new { user = who.User, loggedOut = true });
        });

        app.MapGet("/api/auth/me", (ClaimsPrincipal principal, ConsoleSessions sessions) =>
        {
            ConsoleIdentity who = ConsoleIdentity.From(principal)!;
            return Results.Json(new
            {
                user = who.User,
                role = who.Role,
                method = who.Method,
                expiresAt = sessions.FindById(who.SessionId)?.ExpiresAt,
            });
        });

        app.MapPost("/api/auth/revoke", async (RevokeRequest body, HttpContext context, ClaimsPrincipal principal,
            ConsoleSessions sessions, IAuditTrail audit) =>
        {
            if (string.IsNullOrEmpty(body.User))
            {
                return Results.Json(new { error = "user is required" }, statusCode: 400);
            }

            int revoked = await sessions.RevokeUserAsync(body.User, context.RequestAborted).ConfigureAwait(false);
            await audit.RecordAsync(Entry(context, ConsoleIdentity.From(principal)!, AuditActions.SessionsRevoked, body.User,
                AuditOutcomes.Ok, $$"""{"sessions":{{revoked}}}"""), context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new { user = body.User, revoked });
        }).RequireAuthorization(ConsoleRoles.AdminPolicy);
    }

    /// <summary>An audit entry for an action by <paramref name="who"/> in <paramref name="context"/>.</summary>
    public static AuditEntry Entry(HttpContext context, ConsoleIdentity who, string action, string? target, string outcome,
        string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(who);
        return new AuditEntry
        {
            Actor = who.User,
            Role = who.Role,
            Source = ClientAddress.Of(context),
            Action = action,
            Target = target,
            Outcome = outcome,
            Detail = detail,
        };
    }

    private static async Task<IResult> LoginAsync(LoginRequest body, HttpContext context, ConsoleLogin login)
    {
        LoginResult result = await login.LoginAsync(body.User, body.Password, ClientAddress.Of(context), context.RequestAborted)
            .ConfigureAwait(false);
        switch (result.Status)
        {
            case LoginStatus.Throttled:
                long seconds = (long)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds);
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Results.Json(new { error = "too many failed logins", retryAfterSeconds = seconds }, statusCode: 429);
            case LoginStatus.Invalid:
                return Results.Json(new { error = "invalid user or password" }, statusCode: 401);
        }

        ConsoleSession session = result.Session!;
        context.Response.Cookies.Append(SessionAuthenticationHandler.CookieName, result.Token!, CookieOptions(context, session.ExpiresAt));
        return Results.Json(new { token = result.Token, user = session.User, role = session.Role, expiresAt = session.ExpiresAt });
    }

    private static CookieOptions CookieOptions(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
