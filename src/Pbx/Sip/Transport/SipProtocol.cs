namespace Telephony.Pbx.Sip.Transport;

/// <summary>SIP transport protocols supported by <see cref="SipTransportLayer"/> (RFC 3261 §18, §26.2 for TLS).</summary>
public enum SipProtocol
{
    /// <summary>Unreliable datagrams: transactions retransmit (timers A, E, G).</summary>
    Udp,

    /// <summary>Reliable stream, framed on Content-Length (RFC 3261 §18.3).</summary>
    Tcp,

    /// <summary>TCP with TLS 1.2+ on top (RFC 3261 §26.2.1, RFC 5630): the same framing as TCP, inside the TLS stream.</summary>
    Tls,

    /// <summary>SIP over WebSocket (RFC 7118): one SIP message per WebSocket message, on the HTTP port.</summary>
    Ws,

    /// <summary>SIP over secure WebSocket (RFC 7118 §5.3), on the HTTPS port.</summary>
    Wss,
}
