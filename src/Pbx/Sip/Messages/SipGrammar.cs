using System.Buffers;
using System.Globalization;
using System.Text;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>Shared RFC 3261 §25.1 grammar helpers: LWS, token, quoted-string, escapes, host, parameters.</summary>
internal static partial class SipGrammar
{
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~");

    private const string Unreserved = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()";

    /// <summary>unreserved / user-unreserved (RFC 3261 §25.1 user).</summary>
    internal static readonly SearchValues<char> UserChars = SearchValues.Create(Unreserved + "&=+$,;?/");

    /// <summary>unreserved / "&amp;" / "=" / "+" / "$" / "," (password).</summary>
    internal static readonly SearchValues<char> PasswordChars = SearchValues.Create(Unreserved + "&=+$,");

    /// <summary>unreserved / param-unreserved (paramchar).</summary>
    internal static readonly SearchValues<char> ParamChars = SearchValues.Create(Unreserved + "[]/:&+$");

    /// <summary>unreserved / hnv-unreserved (hname, hvalue).</summary>
    internal static readonly SearchValues<char> HeaderChars = SearchValues.Create(Unreserved + "[]/?:+$");

    /// <summary>Characters of tel: subscriber numbers (RFC 3966) and opaque URIs we keep as-is.</summary>
    internal static readonly SearchValues<char> TelChars = SearchValues.Create(Unreserved + "+#&=$,/?:@[]");

    internal static bool IsLws(char c) => c is ' ' or '\t' or '\r' or '\n';

    internal static ReadOnlySpan<char> TrimLws(ReadOnlySpan<char> s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && IsLws(s[start]))
        {
            start++;
        }

        while (end > start && IsLws(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    internal static int SkipLws(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && IsLws(s[i]))
        {
            i++;
        }

        return i;
    }

    internal static bool IsTokenChar(char c) => TokenChars.Contains(c);

    internal static bool IsToken(ReadOnlySpan<char> s) => s.Length > 0 && !s.ContainsAnyExcept(TokenChars);

    internal static int TokenLength(ReadOnlySpan<char> s) =>
        s.IndexOfAnyExcept(TokenChars) is var i and >= 0 ? i : s.Length;

    /// <summary>Splits at commas that are not inside a quoted-string or &lt;...&gt;; trims LWS; drops empties.</summary>
    internal static List<string> SplitTopLevel(string value)
    {
        var result = new List<string>(1);
        var s = value.AsSpan();
        var start = 0;
        var inQuotes = false;
        var inAngle = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (inQuotes)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }
            }
            else if (c == '"')
            {
                inQuotes = true;
            }
            else if (c == '<')
            {
                inAngle = true;
            }
            else if (c == '>')
            {
                inAngle = false;
            }
            else if (c == ',' && !inAngle)
            {
                AddPart(result, value, s[start..i], start);
                start = i + 1;
            }
        }

        AddPart(result, value, s[start..], start);
        return result;

        static void AddPart(List<string> list, string whole, ReadOnlySpan<char> part, int offset)
        {
            var trimmed = TrimLws(part);
            if (trimmed.Length == 0)
            {
                return;
            }

            list.Add(trimmed.Length == whole.Length ? whole : trimmed.ToString());
        }
    }

    /// <summary>
    /// Reads a quoted-string starting at <paramref name="i"/> (which must be '"'); returns the unescaped content
    /// and moves <paramref name="i"/> past the closing quote.
    /// </summary>
    internal static bool TryReadQuoted(ReadOnlySpan<char> s, ref int i, out string content)
    {
        content = string.Empty;
        if (i >= s.Length || s[i] != '"')
        {
            return false;
        }

        StringBuilder? sb = null;
        var start = i + 1;
        for (var j = start; j < s.Length; j++)
        {
            var c = s[j];
            if (c == '\\')
            {
                if (j + 1 >= s.Length || s[j + 1] is '\r' or '\n')
                {
                    return false;
                }

                sb ??= new StringBuilder().Append(s[start..j]);
                sb.Append(s[j + 1]);
                j++;
            }
            else if (c == '"')
            {
                content = sb is null ? s[start..j].ToString() : sb.ToString();
                i = j + 1;
                return true;
            }
            else
            {
                sb?.Append(c);
            }
        }

        return false;
    }

    /// <summary>Skips a raw quoted-string (keeping escapes); returns the index after the closing quote or -1.</summary>
    internal static int SkipQuoted(ReadOnlySpan<char> s, int i)
    {
        for (var j = i + 1; j < s.Length; j++)
        {
            if (s[j] == '\\')
            {
                j++;
            }
            else if (s[j] == '"')
            {
                return j + 1;
            }
        }

        return -1;
    }

    internal static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var ch in text)
        {
            // CR and LF cannot be quoted: a display name must not break the header line.
            var c = ch is '\r' or '\n' ? ' ' : ch;

            // quoted-pair covers %x00-09 / %x0B-0C / %x0E-7F: escape controls so the output stays text.
            if (c is '"' or '\\' || (c < ' ' && c is not '\t' and not '\n' and not '\r') || c == '\x7f')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.Append('"').ToString();
    }

    /// <summary>Percent-encodes (UTF-8, upper-case hex) every character not in <paramref name="allowed"/>.</summary>
    internal static void AppendEscaped(StringBuilder sb, string text, SearchValues<char> allowed)
    {
        var s = text.AsSpan();
        if (!s.ContainsAnyExcept(allowed))
        {
            sb.Append(text);
            return;
        }

        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (allowed.Contains(c))
            {
                sb.Append(c);
                continue;
            }

            var len = char.IsHighSurrogate(c) && i + 1 < s.Length
                ? Encoding.UTF8.GetBytes(s.Slice(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(s.Slice(i, 1), utf8);
            for (var k = 0; k < len; k++)
            {
                sb.Append('%').Append(utf8[k].ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Decodes %HH escapes (as UTF-8); fails on a bad escape or on bytes that are not UTF-8.</summary>
    internal static bool TryUnescape(ReadOnlySpan<char> s, out string result)
    {
        if (!s.Contains('%'))
        {
            result = s.ToString();
            return true;
        }

        result = string.Empty;
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(s.Length)];
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
                {
                    return false;
                }

                bytes[n++] = (byte)((HexValue(s[i + 1]) << 4) | HexValue(s[i + 2]));
                i += 2;
            }
            else
            {
                n += Encoding.UTF8.GetBytes(s.Slice(i, 1), bytes.AsSpan(n));
            }
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(0, n)))
        {
            return false;
        }

        result = Encoding.UTF8.GetString(bytes, 0, n);
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
