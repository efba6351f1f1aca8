using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;

namespace Telephony.Host.Security;

/// <summary>
/// Wires console security into the host: authentication (<see cref="SessionAuthenticationHandler"/>), the role policies
/// of <see cref="ConsoleRoles"/> with "authenticated" as the fallback (an endpoint that says nothing needs a login),
/// JSON 403s, security headers on every response, the CSRF origin check, the plain-HTTP redirect, and forwarded
/// headers from trusted proxies only. No CORS policy is added: cross-origin browser calls are not allowed.
/// </summary>
public static class HttpSecurity
{
    /// <summary><c>Content-Security-Policy</c> of every response: nothing but our own origin, never framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>The <c>Content-Security-Policy</c> of <paramref name="context"/>'s response: the endpoint's own
    /// (<see cref="IContentSecurityPolicySource"/> in its metadata, e.g. a page that needs a nonce) or
    /// <see cref="ContentSecurityPolicy"/>.</summary>
    public static string ContentSecurityPolicyFor(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetEndpoint()?.Metadata.GetMetadata<IContentSecurityPolicySource>()?.PolicyFor(context) ?? ContentSecurityPolicy;
    }

    public static IServiceCollection AddConsoleSecurity(this IServiceCollection services, SecuritySettings settings)
    {
        services.AddSingleton(settings);
        services.AddAuthentication(SessionAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, SessionAuthenticationHandler>(
                SessionAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(SessionAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .AddPolicy(ConsoleRoles.AgentPolicy, p => p.RequireRole(ConsoleRoles.Agent, ConsoleRoles.Supervisor, ConsoleRoles.Admin))
            .AddPolicy(ConsoleRoles.SupervisorPolicy, p => p.RequireRole(ConsoleRoles.Supervisor, ConsoleRoles.Admin))
            .AddPolicy(ConsoleRoles.AdminPolicy, p => p.RequireRole(ConsoleRoles.Admin));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ForbiddenJsonResultHandler>();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (System.Net.IPAddress proxy in settings.TrustedProxies)
            {
                o.KnownProxies.Add(proxy);
            }
        });
        return services;
    }

    /// <summary>Adds the middleware, in order: forwarded headers, security headers, plain-HTTP redirect, authentication,
    /// CSRF origin check, authorization.</summary>
    public static WebApplication UseConsoleSecurity(this WebApplication app, SecuritySettings settings, bool hsts)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicyFor(context);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                if (hsts && context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000";
                }

                if (context.Request.Path.StartsWithSegments("/api/auth", StringComparison.Ordinal))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });

        if (settings.Plain == PlainHttpMode.Redirect && settings.HttpsPort > 0)
        {
            app.Use((context, next) =>
            {
                if (context.Request.IsHttps || context.Request.Path.Equals("/health", StringComparison.Ordinal))
                {
                    return next(context);
                }

                var target = new UriBuilder("https", context.Request.Host.Host, settings.HttpsPort)
                {
                    Path = context.Request.PathBase.Add(context.Request.Path).ToString(),
                    Query = context.Request.QueryString.Value ?? "",
                };
                context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
                context.Response.Headers.Location = target.Uri.AbsoluteUri;
                return Task.CompletedTask;
            });
        }

        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (!OriginCheck.IsSafe(context.Request.Method)
                && (ConsoleIdentity.From(context.User)?.Method == "cookie" || IsLogin(context.Request))
                && !(IsLogin(context.Request) && OriginCheck.ClaimedOrigin(context.Request) is null)
                && !OriginCheck.IsAllowed(context.Request, OriginCheck.ClaimedOrigin(context.Request), settings.AllowedOrigins))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new
                {
                    error = "forbidden",
                    reason = $"cross-site request refused: origin '{OriginCheck.ClaimedOrigin(context.Request) ?? "none"}' " +
                             $"is not {OriginCheck.OwnOrigin(context.Request)} (cookie sessions must send Origin)",
                }).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        app.UseAuthorization();
        return app;
    }

    private static bool IsLogin(HttpRequest request) => request.Path.Equals("/api/auth/login", StringComparison.Ordinal);
}
