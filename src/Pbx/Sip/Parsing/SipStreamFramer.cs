using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Parsing;

/// <summary>
/// Frames SIP messages on a stream transport (TCP, TLS) by Content-Length (RFC 3261 §18.3, where it is
/// mandatory). Leading CRLFs (RFC 5626 §3.5.1 keep-alives, RFC 3261 §7.5) are skipped. Never throws.
/// </summary>
public static class SipStreamFramer
{
    /// <summary>
    /// Looks for one whole message at the start of <paramref name="buffer"/>.
    /// <see cref="SipFrameStatus.Complete"/>: the message is <c>buffer.Slice(frameStart, frameLength)</c>; the
    /// caller consumes <c>frameStart + frameLength</c> bytes and passes the slice to
    /// <see cref="SipMessageParser.TryParse"/>.
    /// <see cref="SipFrameStatus.NeedMoreData"/>: read more; <paramref name="frameStart"/> counts keep-alive
    /// bytes the caller may already discard.
    /// <see cref="SipFrameStatus.Invalid"/>: <paramref name="error"/> says why (with <c>Partial</c> when the
    /// request can be answered); the stream cannot be resynchronized and should be closed.
    /// </summary>
    public static SipFrameStatus TryFrame(ReadOnlySpan<byte> buffer, out int frameStart, out int frameLength,
        out SipParseError? error)
    {
        frameLength = 0;
        error = null;
        frameStart = 0;
        while (frameStart < buffer.Length && buffer[frameStart] is (byte)'\r' or (byte)'\n')
        {
            frameStart++;
        }

        var data = buffer[frameStart..];
        var headerEnd = data.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            if (data.Length > SipLimits.MaxHeaderSectionBytes)
            {
                error = new SipParseError(SipParseErrorReason.MessageTooLarge, null, 513, "Header section too large");
                return SipFrameStatus.Invalid;
            }

            return SipFrameStatus.NeedMoreData;
        }

        var bodyStart = headerEnd + 4;
        var head = data[..bodyStart];
        if (!TryFindContentLength(head, out var contentLength, out var found))
        {
            error = WithPartial(head, new SipParseError(SipParseErrorReason.BadContentLength,
                HeaderName.ContentLength, 400, "Bad Content-Length"));
            return SipFrameStatus.Invalid;
        }

        if (!found)
        {
            error = WithPartial(head, new SipParseError(SipParseErrorReason.MissingHeader,
                HeaderName.ContentLength, 400, "Missing Content-Length"));
            return SipFrameStatus.Invalid;
        }

        if (contentLength > SipLimits.MaxBodyBytes || (long)bodyStart + contentLength > SipLimits.MaxMessageBytes)
        {
            error = WithPartial(head, new SipParseError(SipParseErrorReason.BodyTooLarge,
                HeaderName.ContentLength, 413, "Request Entity Too Large"));
            return SipFrameStatus.Invalid;
        }

        if (data.Length < bodyStart + contentLength)
        {
            return SipFrameStatus.NeedMoreData;
        }

        frameLength = bodyStart + contentLength;
        return SipFrameStatus.Complete;
    }

    /// <summary>Parses the header section alone to offer a Partial request to answer.</summary>
    private static SipParseError WithPartial(ReadOnlySpan<byte> head, SipParseError error)
    {
        if (SipMessageParser.TryParse(head, out var message, out var parseError))
        {
            if (message is SipRequest request)
            {
                error.Partial = request;
            }
        }
        else
        {
            error.Partial = parseError.Partial;
        }

        return error;
    }

    /// <summary>Finds Content-Length ("l" compact form too) on bytes, honouring folded lines.</summary>
    private static bool TryFindContentLength(ReadOnlySpan<byte> head, out int length, out bool found)
    {
        length = 0;
        found = false;
        var pos = head.IndexOf((byte)'\n') + 1;
        while (pos < head.Length)
        {
            var lf = head[pos..].IndexOf((byte)'\n');
            var end = lf < 0 ? head.Length : pos + lf;
            while (end + 1 < head.Length && head[end + 1] is (byte)' ' or (byte)'\t')
            {
                var next = head[(end + 1)..].IndexOf((byte)'\n');
                end = next < 0 ? head.Length : end + 1 + next;
            }

            var line = head[pos..end];
            pos = end + 1;
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].TrimEnd(" \t"u8);
            if (!System.Text.Ascii.EqualsIgnoreCase(name, "Content-Length"u8)
                && !System.Text.Ascii.EqualsIgnoreCase(name, "l"u8))
            {
                continue;
            }

            if (found)
            {
                return false; // two Content-Length fields: cannot frame safely
            }

            found = true;
            var value = line[(colon + 1)..].Trim(" \t\r\n"u8);
            if (value.Length == 0)
            {
                return false;
            }

            long n = 0;
            foreach (var b in value)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                n = Math.Min((n * 10) + (b - '0'), int.MaxValue);
            }

            length = (int)n;
        }

        return true;
    }
}
