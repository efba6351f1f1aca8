using System.Diagnostics.CodeAnalysis;
using System.Text;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Parsing;

/// <summary>
/// Parses one whole SIP message (RFC 3261 §7, §25) from bytes: a UDP datagram or one TCP frame. Lines are
/// found and split on bytes; strings are made only for the start-line parts and header values. Folded header
/// lines (§7.3.1) are unfolded, compact names expanded, the body sized per Content-Length (§18.3). Never throws.
/// </summary>
public static partial class SipMessageParser
{
    private static readonly SipUri InvalidUri = new("invalid");

    /// <summary>Parses one message. On failure <paramref name="error"/> says why and what to answer.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, [NotNullWhen(true)] out SipMessage? message,
        [NotNullWhen(false)] out SipParseError? error)
    {
        message = null;
        error = null;
        var pos = 0;

        // RFC 3261 §7.5: CRLFs before the start line are ignored (keep-alives).
        while (pos < data.Length && data[pos] is (byte)'\r' or (byte)'\n')
        {
            pos++;
        }

        if (pos == data.Length)
        {
            error = Fail(SipParseErrorReason.Empty, null, 0, "Empty message");
            return false;
        }

        if (data.Length > SipLimits.MaxMessageBytes)
        {
            error = Fail(SipParseErrorReason.MessageTooLarge, null, 513, "Message Too Large");
            return false;
        }

        var lf = data[pos..].IndexOf((byte)'\n');
        if (lf < 0)
        {
            error = Fail(SipParseErrorReason.Incomplete, null, 400, "No end of start line");
            return false;
        }

        var startLine = TrimCr(data.Slice(pos, lf));
        pos += lf + 1;
        if (startLine.Length > SipLimits.MaxHeaderLineBytes)
        {
            error = Fail(SipParseErrorReason.HeaderTooLong, null, 400, "Start line too long");
            return false;
        }

        if (HasControlBytes(startLine, allowFolding: false))
        {
            error = Fail(SipParseErrorReason.Binary, null, 400, "Control characters in start line");
            return false;
        }

        SipRequest? request = null;
        if (startLine.StartsWith("SIP/"u8))
        {
            if (!TryParseStatusLine(startLine, out var response, out error))
            {
                return false;
            }

            message = response;
        }
        else
        {
            if (!TryParseRequestLine(startLine, out request, out error))
            {
                return false;
            }

            message = request;
        }

        // error may already hold an answerable start-line problem (505, 414, 416, bad URI); keep parsing headers
        // so that Partial can be built.
        if (!TryReadHeaders(data, ref pos, message, ref error, out var bodyStart))
        {
            return Finish(request, ref message, ref error);
        }

        if (error is null)
        {
            ReadBody(data, bodyStart, message, ref error);
        }

        if (error is null)
        {
            Validate(message, request, ref error);
        }

        return Finish(request, ref message, ref error);
    }

    private static bool Finish(SipRequest? request, [NotNullWhen(true)] ref SipMessage? message,
        [NotNullWhen(false)] ref SipParseError? error)
    {
        if (error is null)
        {
            return message is not null;
        }

        // Control bytes mean this is not SIP text: never answer it.
        if (request is not null && error.Reason != SipParseErrorReason.Binary && IsAnswerable(request))
        {
            request.Body = [];
            error.Partial = request;
        }

        message = null;
        return false;
    }

    private static bool TryParseStatusLine(ReadOnlySpan<byte> line, [NotNullWhen(true)] out SipResponse? response,
        [NotNullWhen(false)] out SipParseError? error)
    {
        response = null;
        error = null;
        var sp = line.IndexOf((byte)' ');
        if (sp < 0 || !IsSipVersion(line[..sp], out var is20) || !is20)
        {
            error = Fail(SipParseErrorReason.BadVersion, null, 505, "Version Not Supported");
            return false;
        }

        var rest = line[(sp + 1)..];

        // Status-Code = 3DIGIT, then SP Reason-Phrase (the reason may be empty, RFC 4475 §3.1.1.13).
        if (rest.Length < 3 || !IsDigit(rest[0]) || !IsDigit(rest[1]) || !IsDigit(rest[2])
            || (rest.Length > 3 && rest[3] != (byte)' '))
        {
            error = Fail(SipParseErrorReason.BadStartLine, null, 400, "Bad Status-Code");
            return false;
        }

        var code = ((rest[0] - '0') * 100) + ((rest[1] - '0') * 10) + (rest[2] - '0');
        if (code is < 100 or > 699)
        {
            error = Fail(SipParseErrorReason.BadStartLine, null, 400, "Status-Code out of range");
            return false;
        }

        var reason = rest.Length > 4 ? Encoding.UTF8.GetString(rest[4..]) : string.Empty;
        response = new SipResponse(code, reason);
        return true;
    }

    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, [NotNullWhen(true)] out SipRequest? request,
        [NotNullWhen(false)] out SipParseError? error)
    {
        request = null;
        error = null;

        // Request-Line = Method SP Request-URI SP SIP-Version: exactly two single spaces (RFC 4475 §3.1.2.9/10).
        var sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0)
        {
            error = Fail(SipParseErrorReason.BadStartLine, null, 400, "Malformed Request-Line");
            return false;
        }

        var rest = line[(sp1 + 1)..];
        var sp2 = rest.IndexOf((byte)' ');
        if (sp2 <= 0 || rest[(sp2 + 1)..].IndexOf((byte)' ') >= 0)
        {
            error = Fail(SipParseErrorReason.BadStartLine, null, 400, "Malformed Request-Line");
            return false;
        }

        var methodBytes = line[..sp1];
        var uriBytes = rest[..sp2];
        var versionBytes = rest[(sp2 + 1)..];
        if (!IsTokenBytes(methodBytes))
        {
            error = Fail(SipParseErrorReason.BadStartLine, null, 400, "Bad Method");
            return false;
        }

        if (!IsSipVersion(versionBytes, out var is20))
        {
            error = Fail(SipParseErrorReason.BadStartLine, null, 400, "Bad SIP-Version");
            return false;
        }

        var method = KnownMethod(methodBytes) ?? Encoding.ASCII.GetString(methodBytes);
        SipUri? uri = null;
        if (uriBytes.Length > SipLimits.MaxRequestUriBytes)
        {
            error = Fail(SipParseErrorReason.RequestUriTooLong, null, 414, "Request-URI Too Long");
        }
        else if (!IsAscii(uriBytes) || !SipUri.TryParse(Encoding.ASCII.GetString(uriBytes), out uri))
        {
            error = Fail(SipParseErrorReason.BadUri, null, 400, "Bad Request-URI");
        }
        else if (!uri.IsSip && uri.Scheme != "tel")
        {
            error = Fail(SipParseErrorReason.UnsupportedUriScheme, null, 416, "Unsupported URI Scheme");
        }
        else if (uri.Headers.Count > 0)
        {
            // RFC 3261 §19.1.1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
            error = Fail(SipParseErrorReason.BadUri, null, 400, "Headers in Request-URI");
        }

        if (!is20)
        {
            error = Fail(SipParseErrorReason.BadVersion, null, 505, "Version Not Supported");
        }

        request = new SipRequest(method, uri ?? InvalidUri.Clone());
        return true;
    }

    /// <summary>Reads header fields up to the empty line. Returns false when parsing cannot go on.</summary>
    private static bool TryReadHeaders(ReadOnlySpan<byte> data, ref int pos, SipMessage message,
        ref SipParseError? error, out int bodyStart)
    {
        bodyStart = data.Length;
        var count = 0;
        while (true)
        {
            if (pos >= data.Length)
            {
                error ??= Fail(SipParseErrorReason.Incomplete, null, 400, "Missing empty line after headers");
                return false;
            }

            var lf = data[pos..].IndexOf((byte)'\n');
            var lineEnd = lf < 0 ? data.Length : pos + lf;
            if (TrimCr(data[pos..lineEnd]).Length == 0)
            {
                bodyStart = lineEnd + 1;
                return true;
            }

            // Extend over continuation lines (start with SP or HTAB): the logical line is contiguous in data.
            var folded = false;
            while (lineEnd + 1 < data.Length && data[lineEnd + 1] is (byte)' ' or (byte)'\t')
            {
                folded = true;
                var next = data[(lineEnd + 1)..].IndexOf((byte)'\n');
                lineEnd = next < 0 ? data.Length : lineEnd + 1 + next;
            }

            var logical = TrimCr(data[pos..lineEnd]);
            pos = Math.Min(lineEnd + 1, data.Length);
            if (lf < 0 || lineEnd >= data.Length)
            {
                error ??= Fail(SipParseErrorReason.Incomplete, null, 400, "Missing empty line after headers");
            }

            if (++count > SipLimits.MaxHeaders)
            {
                error ??= Fail(SipParseErrorReason.TooManyHeaders, null, 400, "Too Many Headers");
                return false;
            }

            if (HasControlBytes(logical, folded))
            {
                error = Fail(SipParseErrorReason.Binary, null, 400, "Control characters in header");
                return false;
            }

            ReadHeader(logical, folded, message, ref error);
        }
    }

    private static void ReadHeader(ReadOnlySpan<byte> line, bool folded, SipMessage message,
        ref SipParseError? error)
    {
        var colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            error ??= Fail(SipParseErrorReason.BadHeader, null, 400, "Header line without colon");
            return;
        }

        // header-name HCOLON: HCOLON = *( SP / HTAB ) ":" SWS.
        var nameBytes = line[..colon].TrimEnd(" \t"u8);
        if (!IsTokenBytes(nameBytes))
        {
            error ??= Fail(SipParseErrorReason.BadHeader, null, 400, "Bad header name");
            return;
        }

        string name;
        if (nameBytes.Length <= 128)
        {
            Span<char> chars = stackalloc char[nameBytes.Length];
            for (var i = 0; i < nameBytes.Length; i++)
            {
                chars[i] = (char)nameBytes[i];
            }

            name = HeaderName.Canonicalize((ReadOnlySpan<char>)chars);
        }
        else
        {
            name = Encoding.ASCII.GetString(nameBytes);
        }

        if (line.Length > SipLimits.MaxHeaderLineBytes)
        {
            error ??= Fail(SipParseErrorReason.HeaderTooLong, name, 400, "Header Too Long: " + name);
            return;
        }

        var valueBytes = line[(colon + 1)..].Trim(" \t\r\n"u8);
        var value = valueBytes.Length == 0 ? string.Empty : Encoding.UTF8.GetString(valueBytes);
        if (folded)
        {
            value = Unfold(value);
        }

        message.Headers.AddCanonical(name, value);
    }

    private static void ReadBody(ReadOnlySpan<byte> data, int bodyStart, SipMessage message,
        ref SipParseError? error)
    {
        var available = data.Length - Math.Min(bodyStart, data.Length);
        var length = available;
        var headers = message.Headers;
        var clCount = headers.CountOf(HeaderName.ContentLength);
        if (clCount > 1)
        {
            error = Fail(SipParseErrorReason.DuplicateHeader, HeaderName.ContentLength, 400,
                "Multiple Content-Length");
            return;
        }

        if (clCount == 1)
        {
            if (!TryParseContentLength(headers.Get(HeaderName.ContentLength)!, out length))
            {
                error = Fail(SipParseErrorReason.BadContentLength, HeaderName.ContentLength, 400,
                    "Bad Content-Length");
                return;
            }

            if (length > available)
            {
                error = Fail(SipParseErrorReason.ContentLengthMismatch, HeaderName.ContentLength, 400,
                    "Content-Length larger than message");
                return;
            }
        }

        if (length > SipLimits.MaxBodyBytes)
        {
            error = Fail(SipParseErrorReason.BodyTooLarge, HeaderName.ContentLength, 413, "Request Entity Too Large");
            return;
        }

        // RFC 3261 §18.3: bytes past Content-Length are discarded (RFC 4475 §3.1.1.8).
        message.Body = length == 0 ? [] : data.Slice(bodyStart, length).ToArray();
    }
}
