using System.Globalization;
using System.Text;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>A SIP response: Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (RFC 3261 §7.2, §21).</summary>
public sealed class SipResponse : SipMessage
{
    public SipResponse(int statusCode, string? reasonPhrase = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase ?? DefaultReason(statusCode);
    }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    /// <summary>
    /// Builds a response to <paramref name="request"/> (RFC 3261 §8.2.6.2): copies all Via fields in order, From,
    /// To (adding ";tag=<paramref name="toTag"/>" when given and To has no tag), Call-ID and CSeq; for 101-299
    /// responses to INVITE also copies Record-Route (§12.1.1).
    /// </summary>
    public static SipResponse CreateFor(SipRequest request, int statusCode, string? reason = null,
        string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new SipResponse(statusCode, reason);
        response.ShareViews(request);
        var copyRecordRoute = request.Method == SipMethod.Invite && statusCode is > 100 and < 300;
        foreach (var (name, value) in request.Headers)
        {
            switch (name)
            {
                case HeaderName.Via or HeaderName.From or HeaderName.CallId or HeaderName.CSeq:
                    response.Headers.AddCanonical(name, value);
                    break;
                case HeaderName.To:
                    response.Headers.AddCanonical(name, AddTag(response, request, value, toTag));
                    break;
                case HeaderName.RecordRoute when copyRecordRoute:
                    response.Headers.AddCanonical(name, value);
                    break;
            }
        }

        return response;
    }

    /// <summary>The RFC 3261 §21 reason phrase (and common extensions); a class name for unknown codes.</summary>
    public static string DefaultReason(int statusCode) => statusCode switch
    {
        100 => "Trying",
        180 => "Ringing",
        181 => "Call Is Being Forwarded",
        182 => "Queued",
        183 => "Session Progress",
        199 => "Early Dialog Terminated",
        200 => "OK",
        202 => "Accepted",
        204 => "No Notification",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Moved Temporarily",
        305 => "Use Proxy",
        380 => "Alternative Service",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        410 => "Gone",
        412 => "Conditional Request Failed",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        417 => "Unknown Resource-Priority",
        420 => "Bad Extension",
        421 => "Extension Required",
        422 => "Session Interval Too Small",
        423 => "Interval Too Brief",
        428 => "Use Identity Header",
        429 => "Provide Referrer Identity",
        430 => "Flow Failed",
        433 => "Anonymity Disallowed",
        436 => "Bad Identity-Info",
        437 => "Unsupported Certificate",
        438 => "Invalid Identity Header",
        439 => "First Hop Lacks Outbound Support",
        440 => "Max-Breadth Exceeded",
        469 => "Bad Info Package",
        470 => "Consent Needed",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        482 => "Loop Detected",
        483 => "Too Many Hops",
        484 => "Address Incomplete",
        485 => "Ambiguous",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        489 => "Bad Event",
        491 => "Request Pending",
        493 => "Undecipherable",
        494 => "Security Agreement Required",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Server Time-out",
        505 => "Version Not Supported",
        513 => "Message Too Large",
        580 => "Precondition Failure",
        600 => "Busy Everywhere",
        603 => "Decline",
        604 => "Does Not Exist Anywhere",
        606 => "Not Acceptable",
        607 => "Unwanted",
        608 => "Rejected",
        < 200 => "Informational",
        < 300 => "Success",
        < 400 => "Redirection",
        < 500 => "Client Error",
        < 600 => "Server Error",
        _ => "Global Failure",
    };

    private protected override void AppendStartLine(StringBuilder sb) =>
        sb.Append("SIP/2.0 ").Append(StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(ReasonPhrase);

    private static string AddTag(SipResponse response, SipRequest request, string to, string? toTag)
    {
        if (toTag is null)
        {
            return to;
        }

        // The request's cached To view when this field is the one it was parsed from (no second parse).
        var address = request.To is { } view && ReferenceEquals(view.HeaderText, to) ? view
            : NameAddress.TryParse(to, out var parsed) ? parsed : null;
        if (address is not null)
        {
            if (address.Tag is not null)
            {
                return to;
            }

            // Append to the text as received so the rest of the header stays byte-identical.
            var tagged = to.TrimEnd() + ";tag=" + toTag;
            if (address.IsReadOnly && SipGrammar.IsToken(toTag))
            {
                // The response's To view: the request's plus the tag, what parsing the tagged text gives.
                var taggedView = address.Clone();
                taggedView.Tag = toTag;
                response.SetToView(taggedView.AsView(tagged));
            }

            return tagged;
        }

        return to;
    }
}
