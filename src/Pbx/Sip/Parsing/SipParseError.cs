using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Parsing;

/// <summary>
/// A rejected SIP message: the reason, the offending header, the status to answer with (RFC 3261 §8.2, §16.3,
/// §21.4) and, when the request is answerable, what was parsed of it.
/// </summary>
public sealed class SipParseError
{
    internal SipParseError(SipParseErrorReason reason, string? header, int statusCode, string message)
    {
        Reason = reason;
        Header = header;
        StatusCode = statusCode;
        Message = message;
    }

    public SipParseErrorReason Reason { get; }

    /// <summary>The offending header's canonical name, if any.</summary>
    public string? Header { get; }

    /// <summary>The response to send for a request: 400, 413, 414, 416, 505, 513.</summary>
    public int StatusCode { get; }

    /// <summary>Human-readable detail, usable as a reason phrase (RFC 3261 §21.4.1 suggests naming the header).</summary>
    public string Message { get; }

    /// <summary>
    /// The request as far as it parsed (headers, no body) when the start line is a request and Via, From, To,
    /// Call-ID and CSeq are usable, so <c>SipResponse.CreateFor(Partial, StatusCode)</c> can answer it; else
    /// null (drop). When the Request-URI itself was bad, <c>Partial.RequestUri</c> is "sip:invalid".
    /// </summary>
    public SipRequest? Partial { get; internal set; }

    public override string ToString() =>
        Header is null ? $"{Reason} ({StatusCode}): {Message}" : $"{Reason} in {Header} ({StatusCode}): {Message}";
}
