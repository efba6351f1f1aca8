namespace Telephony.Pbx.Sip.Parsing;

/// <summary>
/// Size limits applied to incoming SIP messages. RFC 3261 §18.1.1 sizes UDP below the path MTU but accepts up
/// to 65,535 bytes; the rest bound memory per message against malicious peers.
/// </summary>
public static class SipLimits
{
    /// <summary>Largest whole message (one UDP datagram or TCP frame) [bytes]; larger gets 513.</summary>
    public const int MaxMessageBytes = 65535;

    /// <summary>Longest header line after unfolding, and longest start line [bytes].</summary>
    public const int MaxHeaderLineBytes = 8192;

    /// <summary>Most header fields (lines) in one message.</summary>
    public const int MaxHeaders = 256;

    /// <summary>Largest body [bytes]; larger gets 413.</summary>
    public const int MaxBodyBytes = 32768;

    /// <summary>Longest Request-URI [bytes]; longer gets 414.</summary>
    public const int MaxRequestUriBytes = 4096;

    /// <summary>Largest Max-Forwards value accepted (RFC 3261 §20.22: 0-255 in practice).</summary>
    public const int MaxMaxForwards = 255;

    /// <summary>Largest header section a TCP framer waits for before giving up [bytes].</summary>
    public const int MaxHeaderSectionBytes = MaxMessageBytes - MaxBodyBytes;
}
