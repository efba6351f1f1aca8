namespace Telephony.Pbx.Sdp;

/// <summary>Strict decimal and token checks shared by the SDP parser (RFC 8866 §9 grammar).</summary>
internal static class SdpNumbers
{
    /// <summary>Digits only (no sign, no spaces), at most 18 digits, within [min, max].</summary>
    public static bool TryParseInt(ReadOnlySpan<char> text, int min, int max, out int value)
    {
        value = 0;
        if (!TryParseULong(text, out ulong v) || v < (ulong)Math.Max(min, 0) || v > (ulong)max)
        {
            return false;
        }

        value = (int)v;
        return true;
    }

    /// <summary>Digits only, no overflow.</summary>
    public static bool TryParseULong(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 20)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            ulong digit = (ulong)(c - '0');
            if (value > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            value = value * 10 + digit;
        }

        return true;
    }

    /// <summary>RFC 8866 token: visible ASCII except separators.</summary>
    public static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
                || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`'
                    or '{' or '|' or '}' or '~';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Non-whitespace visible characters (for o=, c= fields).</summary>
    public static bool IsNonWsString(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c <= ' ' || c == '\u007f')
            {
                return false;
            }
        }

        return true;
    }
}
