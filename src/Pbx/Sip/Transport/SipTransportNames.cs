using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// How a <see cref="SipProtocol"/> is written in SIP: the Via sent-protocol token (RFC 3261 §20.42: <c>UDP</c>,
/// <c>TCP</c>, <c>TLS</c>), the URI <c>transport</c> parameter (§19.1.1: <c>udp</c>, <c>tcp</c>, <c>tls</c>), and which
/// protocol a URI asks for (§19.1.2: a <c>sips:</c> URI means TLS, RFC 5630 §3.1).
/// </summary>
public static class SipTransportNames
{
    /// <summary>"UDP", "TCP", "TLS", "WS" or "WSS" (RFC 7118 §5.2): the transport token of a Via header.</summary>
    public static string ViaToken(SipProtocol protocol) => protocol switch
    {
        SipProtocol.Tcp => "TCP",
        SipProtocol.Tls => "TLS",
        SipProtocol.Ws => "WS",
        SipProtocol.Wss => "WSS",
        _ => "UDP",
    };

    /// <summary>The <c>;transport=</c> value a Contact or Request-URI carries for <paramref name="protocol"/>, or
    /// null for UDP (the default, left out).</summary>
    public static string? UriParameter(SipProtocol protocol) => protocol switch
    {
        SipProtocol.Tcp => "tcp",
        SipProtocol.Tls => "tls",
        SipProtocol.Ws => "ws",
        SipProtocol.Wss => "wss",
        _ => null,
    };

    /// <summary>The protocol of a Via transport token ("UDP", "tcp", "TLS"); false for ones we do not run (WS, SCTP).</summary>
    public static bool TryParseViaToken(string? token, out SipProtocol protocol)
    {
        switch (token?.ToUpperInvariant())
        {
            case "UDP":
                protocol = SipProtocol.Udp;
                return true;
            case "TCP":
                protocol = SipProtocol.Tcp;
                return true;
            case "TLS":
                protocol = SipProtocol.Tls;
                return true;
            default:
                protocol = SipProtocol.Udp;
                return false;
        }
    }

    /// <summary>
    /// The protocol <paramref name="uri"/> asks for: <c>sips:</c> or <c>;transport=tls</c> → TLS, <c>;transport=tcp</c>
    /// → TCP (TLS for a sips: URI, §26.2.2), otherwise UDP. False for a transport we do not run (ws, sctp).
    /// </summary>
    public static bool TryGetProtocol(SipUri uri, out SipProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var secure = string.Equals(uri.Scheme, "sips", StringComparison.OrdinalIgnoreCase);
        uri.Parameters.TryGetValue("transport", out var transport);
        switch (transport?.ToUpperInvariant())
        {
            case null or "":
                protocol = secure ? SipProtocol.Tls : SipProtocol.Udp;
                return true;
            case "UDP":
                // sips: over UDP is a contradiction (§26.2.2): no TLS for datagrams here.
                protocol = SipProtocol.Udp;
                return !secure;
            case "TCP":
                protocol = secure ? SipProtocol.Tls : SipProtocol.Tcp;
                return true;
            case "TLS":
                protocol = SipProtocol.Tls;
                return true;
            default:
                protocol = SipProtocol.Udp;
                return false;
        }
    }

    /// <summary>The port a URI without one means: 5061 for TLS, 5060 otherwise (RFC 3261 §19.1.2).</summary>
    public static int DefaultPort(SipProtocol protocol) => protocol == SipProtocol.Tls ? 5061 : 5060;
}
