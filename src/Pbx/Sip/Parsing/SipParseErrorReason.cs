namespace Telephony.Pbx.Sip.Parsing;

/// <summary>Why a SIP message was rejected by the parser (RFC 3261 §7, §18.3, §21.4, §25; RFC 4475 §3.1.2).</summary>
public enum SipParseErrorReason
{
    /// <summary>No bytes, or only CRLF keep-alives.</summary>
    Empty,

    /// <summary>Request-Line or Status-Line does not follow the grammar (extra SP, bad status code...).</summary>
    BadStartLine,

    /// <summary>SIP-Version other than SIP/2.0 (answered 505).</summary>
    BadVersion,

    /// <summary>A header line without a colon or with a name that is not a token.</summary>
    BadHeader,

    /// <summary>A mandatory header (Via, From, To, Call-ID, CSeq) is missing.</summary>
    MissingHeader,

    /// <summary>A header value the parser checks is malformed (see <see cref="SipParseError.Header"/>).</summary>
    BadHeaderValue,

    /// <summary>A header line longer than <see cref="SipLimits.MaxHeaderLineBytes"/>.</summary>
    HeaderTooLong,

    /// <summary>More header fields than <see cref="SipLimits.MaxHeaders"/>.</summary>
    TooManyHeaders,

    /// <summary>The message is larger than <see cref="SipLimits.MaxMessageBytes"/>.</summary>
    MessageTooLarge,

    /// <summary>Content-Length larger than the bytes received (RFC 3261 §18.3).</summary>
    ContentLengthMismatch,

    /// <summary>Content-Length is not a non-negative decimal number.</summary>
    BadContentLength,

    /// <summary>The Request-URI (or a URI the parser checks) is malformed, or has headers (§19.1.1).</summary>
    BadUri,

    /// <summary>Control characters or NUL outside quoted-pairs: not a SIP text message.</summary>
    Binary,

    /// <summary>A Request-URI scheme other than sip, sips or tel (answered 416, RFC 4475 §3.3.2).</summary>
    UnsupportedUriScheme,

    /// <summary>A single-valued header (From, To, Call-ID, CSeq, Max-Forwards, Content-Length...) appears twice.</summary>
    DuplicateHeader,

    /// <summary>CSeq method differs from the Request-Line method (RFC 4475 §3.1.2.17).</summary>
    MethodMismatch,

    /// <summary>The Request-URI is longer than <see cref="SipLimits.MaxRequestUriBytes"/> (answered 414).</summary>
    RequestUriTooLong,

    /// <summary>The body is larger than <see cref="SipLimits.MaxBodyBytes"/> (answered 413).</summary>
    BodyTooLarge,

    /// <summary>The header section is not terminated by an empty line.</summary>
    Incomplete,
}
