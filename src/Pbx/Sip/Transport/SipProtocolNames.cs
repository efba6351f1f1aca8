namespace Telephony.Pbx.Sip.Transport;

/// <summary>Which <see cref="SipProtocol"/>s are SIP over WebSocket (RFC 7118); their names are in <see cref="SipTransportNames"/>.</summary>
public static class SipProtocolNames
{
    /// <summary>True for SIP over WebSocket (RFC 7118): the peer is reachable only over its connection.</summary>
    public static bool IsWebSocket(this SipProtocol protocol) => protocol is SipProtocol.Ws or SipProtocol.Wss;
}
