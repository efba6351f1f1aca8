namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// How a <see cref="SipProtocol"/> is written: the Via transport token (RFC 3261 §20.42, RFC 7118 §5.2 "WS"/"WSS")
/// and the URI <c>transport=</c> parameter (RFC 3261 §19.1.1, RFC 7118 §5.1 "ws"/"wss").
/// </summary>
public static class SipProtocolNames
{
    /// <summary>"UDP", "TCP", "WS" or "WSS".</summary>
    public static string ViaTransport(this SipProtocol protocol) => protocol switch
    {
        SipProtocol.Tcp => "TCP",
        SipProtocol.Ws => "WS",
        SipProtocol.Wss => "WSS",
        _ => "UDP",
    };

    /// <summary>"udp", "tcp", "ws" or "wss".</summary>
    public static string TransportParameter(this SipProtocol protocol) => protocol switch
    {
        SipProtocol.Tcp => "tcp",
        SipProtocol.Ws => "ws",
        SipProtocol.Wss => "wss",
        _ => "udp",
    };

    /// <summary>True for SIP over WebSocket (RFC 7118): the peer is reachable only over its connection.</summary>
    public static bool IsWebSocket(this SipProtocol protocol) => protocol is SipProtocol.Ws or SipProtocol.Wss;
}
