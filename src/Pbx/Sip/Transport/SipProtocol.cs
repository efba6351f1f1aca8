namespace Telephony.Pbx.Sip.Transport;

/// <summary>SIP transport protocols supported by <see cref="SipTransportLayer"/> (RFC 3261 §18).</summary>
public enum SipProtocol
{
    /// <summary>Unreliable datagrams: transactions retransmit (timers A, E, G).</summary>
    Udp,

    /// <summary>Reliable stream, framed on Content-Length (RFC 3261 §18.3).</summary>
    Tcp,
}
