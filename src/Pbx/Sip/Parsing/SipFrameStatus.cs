namespace Telephony.Pbx.Sip.Parsing;

/// <summary>Result of framing a SIP message on a stream transport (RFC 3261 §18.3).</summary>
public enum SipFrameStatus
{
    /// <summary>A whole message is in the buffer.</summary>
    Complete,

    /// <summary>Not enough bytes yet; a normal result on TCP.</summary>
    NeedMoreData,

    /// <summary>The stream cannot be framed (e.g. no Content-Length); answer if possible and close.</summary>
    Invalid,
}
