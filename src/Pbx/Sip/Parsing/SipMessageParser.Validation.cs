using System.Globalization;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Parsing;

/// <summary>Checks of the headers every element depends on (RFC 3261 §8.1.1, §8.2, §20; RFC 4475 §3.1.2, §3.3).</summary>
public static partial class SipMessageParser
{
    private static readonly string[] SingleValued =
    [
        HeaderName.From, HeaderName.To, HeaderName.CallId, HeaderName.CSeq, HeaderName.MaxForwards,
        HeaderName.ContentType, HeaderName.Expires, HeaderName.MinExpires, HeaderName.Date,
    ];

    private static void Validate(SipMessage m, SipRequest? request, ref SipParseError? error)
    {
        var h = m.Headers;
        foreach (var name in SingleValued)
        {
            if (h.CountOf(name) > 1)
            {
                error = Fail(SipParseErrorReason.DuplicateHeader, name, 400, "Multiple " + name);
                return;
            }
        }

        var vias = h.GetAll(HeaderName.Via);
        if (vias.Count == 0)
        {
            error = Missing(HeaderName.Via);
            return;
        }

        // The first entry through the message's own view (parsed here once, cached for every later reader).
        if (m.TopVia is null)
        {
            error = Bad(HeaderName.Via);
            return;
        }

        for (var i = 1; i < vias.Count; i++)
        {
            if (!Via.TryParse(vias[i], out _))
            {
                error = Bad(HeaderName.Via);
                return;
            }
        }

        if (!CheckNameAddress(h, HeaderName.From, m.From, ref error) || !CheckNameAddress(h, HeaderName.To, m.To, ref error))
        {
            return;
        }

        var callId = h.Get(HeaderName.CallId);
        if (callId is null)
        {
            error = Missing(HeaderName.CallId);
            return;
        }

        if (!IsCallId(callId))
        {
            error = Bad(HeaderName.CallId);
            return;
        }

        var cseqText = h.Get(HeaderName.CSeq);
        if (cseqText is null)
        {
            error = Missing(HeaderName.CSeq);
            return;
        }

        if (!CSeq.TryParse(cseqText, out var cseq))
        {
            error = Bad(HeaderName.CSeq);
            return;
        }

        if (request is not null && !string.Equals(cseq.Method, request.Method, StringComparison.Ordinal))
        {
            error = Fail(SipParseErrorReason.MethodMismatch, HeaderName.CSeq, 400, "CSeq method mismatch");
            return;
        }

        if (!CheckNumber(h, HeaderName.MaxForwards, SipLimits.MaxMaxForwards, ref error)
            || !CheckNumber(h, HeaderName.Expires, uint.MaxValue, ref error)
            || !CheckNumber(h, HeaderName.MinExpires, uint.MaxValue, ref error)
            || !CheckAddressList(h, HeaderName.Contact, allowWildcard: true, ref error)
            || !CheckAddressList(h, HeaderName.Route, allowWildcard: false, ref error)
            || !CheckAddressList(h, HeaderName.RecordRoute, allowWildcard: false, ref error))
        {
            return;
        }

        if (h.Get(HeaderName.Date) is { } date && !IsSipDate(date))
        {
            error = Bad(HeaderName.Date);
        }
    }

    /// <summary>Via, From, To, Call-ID and CSeq usable: enough to build a response (RFC 3261 §8.2.6.2).</summary>
    private static bool IsAnswerable(SipRequest request)
    {
        var h = request.Headers;
        var vias = h.GetAll(HeaderName.Via);
        if (vias.Count == 0 || h.CountOf(HeaderName.From) != 1 || h.CountOf(HeaderName.To) != 1
            || h.CountOf(HeaderName.CallId) != 1 || h.CountOf(HeaderName.CSeq) != 1)
        {
            return false;
        }

        foreach (var via in vias)
        {
            if (!Via.TryParse(via, out _))
            {
                return false;
            }
        }

        return request.From is { IsWildcard: false } && request.To is { IsWildcard: false }
                                                     && IsCallId(h.Get(HeaderName.CallId)!)
                                                     && IsEchoableCSeq(h.Get(HeaderName.CSeq)!);
    }

    /// <summary>
    /// A CSeq we can copy into a 400 even when its number is out of range (RFC 4475 §3.1.2.4 scalar02 expects
    /// a 400 for an overlarge CSeq): digits, whitespace, a method token.
    /// </summary>
    private static bool IsEchoableCSeq(string value)
    {
        var parts = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && parts[0].Length <= 32 && parts[0].All(char.IsAsciiDigit)
               && parts[1].All(c => char.IsAsciiLetterOrDigit(c) || "-.!%*_+`'~".Contains(c));
    }

    // The address is the message's own view (m.From / m.To): parsed here once, then cached for every later reader.
    private static bool CheckNameAddress(SipHeaders h, string name, NameAddress? address, ref SipParseError? error)
    {
        if (h.Get(name) is null)
        {
            error = Missing(name);
            return false;
        }

        if (address is null || address.IsWildcard)
        {
            error = Bad(name);
            return false;
        }

        return true;
    }

    private static bool CheckAddressList(SipHeaders h, string name, bool allowWildcard, ref SipParseError? error)
    {
        foreach (var entry in h.GetAll(name))
        {
            if (!NameAddress.TryParse(entry, out var address) || (address.IsWildcard && !allowWildcard))
            {
                error = Bad(name);
                return false;
            }
        }

        return true;
    }

    private static bool CheckNumber(SipHeaders h, string name, ulong max, ref SipParseError? error)
    {
        if (h.Get(name) is not { } text)
        {
            return true;
        }

        var s = text.AsSpan().Trim(" \t");
        if (s.Length is 0 or > 10 || s.ContainsAnyExceptInRange('0', '9')
            || !ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > max)
        {
            error = Bad(name);
            return false;
        }

        return true;
    }

    /// <summary>callid = word [ "@" word ]: printable, no whitespace.</summary>
    private static bool IsCallId(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c <= ' ' || c == 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>SIP-date = rfc1123-date, always GMT (RFC 3261 §20.17, RFC 4475 §3.1.2.12).</summary>
    private static bool IsSipDate(string value) =>
        DateTime.TryParseExact(value.Trim(), "ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _);

    private static SipParseError Missing(string name) =>
        Fail(SipParseErrorReason.MissingHeader, name, 400, "Missing " + name);

    private static SipParseError Bad(string name) =>
        Fail(SipParseErrorReason.BadHeaderValue, name, 400, "Bad " + name);
}
