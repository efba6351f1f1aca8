using Telephony.Pbx.Server;

namespace Telephony.Host.Api;

/// <summary>
/// The SIP over TLS part of <c>GET /health</c> (RFC 3261 §26.2.1): whether the listener is up and where, and its
/// connection and handshake counters (failed and refused handshakes show scanners and misconfigured phones).
/// </summary>
public static class SipTlsHealth
{
    public static object Of(PbxServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var endPoint = server.TlsEndPoint;
        var counters = server.TransportCounters;
        return new
        {
            enabled = endPoint is not null,
            listening = endPoint?.EndPoint.ToString(),
            connectionsOpen = counters?.TlsConnectionsOpen ?? 0,
            connectionsAccepted = counters?.TlsConnectionsAccepted ?? 0,
            handshakeFailures = counters?.TlsHandshakeFailures ?? 0,
            handshakesRefused = counters?.TlsHandshakesRefused ?? 0,
        };
    }
}
