using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Telephony.Host.Security;

/// <summary>
/// Writes the 403 of a failed role check as JSON with the reason (which roles the endpoint needs, which one the caller
/// has); challenges (401) and successes go to the default handler.
/// </summary>
public sealed class ForbiddenJsonResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden && ConsoleIdentity.From(context.User) is { } who)
        {
            string[] roles = [.. policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles)];
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new
            {
                error = "forbidden",
                reason = $"{context.Request.Method} {context.Request.Path} needs role {string.Join(" or ", roles)}; {who.User} is {who.Role}",
            }).ConfigureAwait(false);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }
}
