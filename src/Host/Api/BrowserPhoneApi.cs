using System.Net;
using System.Security.Claims;
using Telephony.Host.Security;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Host.Api;

/// <summary>
/// The browser phone's two doors. <c>/sip</c> (WebSocket, subprotocol <c>sip</c>, RFC 7118 §4.1) on the HTTP and
/// HTTPS ports: each accepted connection is handed to the PBX's <see cref="WebSocketSipTransport"/>, where REGISTER
/// meets the same digest check and guessing bans as UDP/TCP. <c>GET /api/phone/credentials</c>: the signed-in
/// extension's SIP identity for its own session, as the digest HA1 (RFC 7616 §3.4.2: MD5 of
/// <c>user:realm:password</c>) rather than the password, so the page registers without a second prompt and the
/// console password never reaches the page.
/// </summary>
public static class BrowserPhoneApi
{
    /// <summary>Path of the SIP WebSocket endpoint.</summary>
    public const string SipPath = "/sip";

    /// <summary>The WebSocket subprotocol (RFC 7118 §4.1, IANA registered).</summary>
    public const string SubProtocol = "sip";

    /// <summary>WebSocket ping interval; a peer that does not answer with a pong within the timeout is dropped.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    /// <summary>How long a ping may stay unanswered (RFC 6455 §5.5.3) before the connection is closed.</summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The WebSocket transport's own endpoints: ws on the HTTP port, wss on the HTTPS port (0 = none).</summary>
    public static IReadOnlyList<SipEndPoint> LocalEndPoints(string address, int httpPort, int httpsPort)
    {
        var ip = IPAddress.Parse(address);
        var endPoints = new List<SipEndPoint> { new(SipProtocol.Ws, new IPEndPoint(ip, httpPort)) };
        if (httpsPort > 0)
        {
            endPoints.Add(new SipEndPoint(SipProtocol.Wss, new IPEndPoint(ip, httpsPort)));
        }

        return endPoints;
    }

    /// <summary>Maps <c>/sip</c> and <c>/api/phone/credentials</c>; call before the console fallback.</summary>
    public static WebApplication MapBrowserPhone(this WebApplication app, SecuritySettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = KeepAliveInterval, KeepAliveTimeout = KeepAliveTimeout });
        app.Map(SipPath, (HttpContext context, WebSocketSipTransport transport) => AcceptAsync(context, transport, settings))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/api/phone/credentials", Credentials).WithTags("Browser phone")
            .WithSummary("The signed-in extension's SIP identity for the browser phone (digest HA1, never the password)");
        return app;
    }

    private static async Task AcceptAsync(HttpContext context, WebSocketSipTransport transport, SecuritySettings settings)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            await context.Response.WriteAsJsonAsync(new { error = "upgrade required", reason = "SIP over WebSocket (RFC 7118): connect with the WebSocket subprotocol 'sip'" });
            return;
        }

        if (!context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = "bad request", reason = "the WebSocket subprotocol 'sip' is required (Sec-WebSocket-Protocol: sip)" });
            return;
        }

        // A page of another site must not use a visitor's browser to reach the PBX (cross-site WebSocket hijacking);
        // SIP clients outside a browser send no Origin.
        var origin = OriginCheck.ClaimedOrigin(context.Request);
        if (context.Request.Headers.Origin.Count > 0 && !OriginCheck.IsAllowed(context.Request, origin, settings.AllowedOrigins))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsJsonAsync(new { error = "forbidden", reason = $"origin '{origin}' is not {OriginCheck.OwnOrigin(context.Request)}" });
            return;
        }

        var remote = new IPEndPoint(context.Connection.RemoteIpAddress ?? IPAddress.Loopback, context.Connection.RemotePort);
        if (remote.Address.IsIPv4MappedToIPv6)
        {
            remote = new IPEndPoint(remote.Address.MapToIPv4(), remote.Port);
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(SubProtocol);
        await transport.RunConnectionAsync(socket, context.Request.IsHttps ? SipProtocol.Wss : SipProtocol.Ws, remote,
            context.RequestAborted);
    }

    private static IResult Credentials(HttpContext context, ClaimsPrincipal user, Telephony.Pbx.Server.PbxServer server, PbxOptions options)
    {
        var directory = server.Directory;
        var who = ConsoleIdentity.From(user)!;
        if (directory.FindExtension(who.User) is not { } extension || directory.SecretOf(who.User) is not { } secret)
        {
            return Results.Json(new { error = "not found", reason = $"{who.User} is not an extension: it has no phone" }, statusCode: 404);
        }

        var realm = options.Sip.Realm;
        if (secret.Ha1(DigestAlgorithm.Md5, extension.Number, realm) is not { } ha1)
        {
            return Results.Json(new
            {
                error = "conflict",
                reason = $"extension {extension.Number} has only a SHA-256 HA1; the browser phone digests with MD5 (set ha1 or password)",
            }, statusCode: 409);
        }

        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new
        {
            user = extension.Number,
            displayName = extension.Name ?? extension.Number,
            realm,
            ha1,
            path = SipPath,
        });
    }
}
