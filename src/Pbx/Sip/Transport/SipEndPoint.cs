using System.Net;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>A transport protocol plus an IP endpoint: where a SIP message came from or goes to (RFC 3261 §18).</summary>
public readonly record struct SipEndPoint(SipProtocol Protocol, IPEndPoint EndPoint)
{
    /// <summary>True for stream transports, where transactions do not retransmit (RFC 3261 §17.1.1.2).</summary>
    public bool IsReliable => Protocol != SipProtocol.Udp;

    /// <summary>"udp:127.0.0.1:5060", "tcp:[::1]:5060", "tls:127.0.0.1:5061" or "ws:127.0.0.1:50312".</summary>
    public override string ToString() => Protocol switch
    {
        SipProtocol.Tcp => "tcp:",
        SipProtocol.Tls => "tls:",
        SipProtocol.Ws => "ws:",
        SipProtocol.Wss => "wss:",
        _ => "udp:",
    } + EndPoint;
}
