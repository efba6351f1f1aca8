using System.Globalization;
using System.Text;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>Host, port and generic-param grammar (RFC 3261 §25.1 hostport, generic-param; §20.42 via-params).</summary>
internal static partial class SipGrammar
{
    /// <summary>
    /// host = hostname / IPv4address / IPv6reference. Reads a host (IPv6 kept with brackets) and an optional
    /// ":port"; LWS around ':' tolerated when <paramref name="allowLws"/>. Returns characters consumed or -1.
    /// </summary>
    internal static int ReadHostPort(ReadOnlySpan<char> s, bool allowLws, out string host, out int? port)
    {
        host = string.Empty;
        port = null;
        int i;
        if (s.Length > 0 && s[0] == '[')
        {
            var close = s.IndexOf(']');
            if (close < 3 || !IsIPv6(s[1..close]))
            {
                return -1;
            }

            i = close + 1;
        }
        else
        {
            i = 0;
            while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '-' or '.'))
            {
                i++;
            }

            if (!IsHostName(s[..i]))
            {
                return -1;
            }
        }

        host = s[..i].ToString();
        var j = allowLws ? SkipLws(s, i) : i;
        if (j < s.Length && s[j] == ':')
        {
            j = allowLws ? SkipLws(s, j + 1) : j + 1;
            var digits = 0;
            while (j + digits < s.Length && char.IsAsciiDigit(s[j + digits]))
            {
                digits++;
            }

            if (digits is 0 or > 5 || !int.TryParse(s.Slice(j, digits), NumberStyles.None,
                    CultureInfo.InvariantCulture, out var p) || p > 65535)
            {
                return -1;
            }

            port = p;
            i = j + digits;
        }

        return i;
    }

    private static bool IsHostName(ReadOnlySpan<char> s)
    {
        if (s.Length == 0 || s[0] is '-' or '.' || s.IndexOf("..", StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        var last = s[^1] == '.' ? s[..^1] : s;
        return last.Length > 0 && last[^1] != '-';
    }

    private static bool IsIPv6(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c) && c is not ':' and not '.')
            {
                return false;
            }
        }

        return System.Net.IPAddress.TryParse(s, out var ip)
               && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
    }

    /// <summary>
    /// Reads header parameters *( SEMI generic-param ) where generic-param = token [ EQUAL gen-value ].
    /// Values keep their quotes (a quoted value is stored as "\"...\""). LWS allowed around ';' and '='.
    /// Returns false on bad syntax.
    /// </summary>
    internal static bool TryReadHeaderParams(ReadOnlySpan<char> s, ParameterCollection<string?> into)
    {
        var i = SkipLws(s, 0);
        while (i < s.Length)
        {
            if (s[i] != ';')
            {
                return false;
            }

            i = SkipLws(s, i + 1);
            var nameLen = TokenLength(s[i..]);
            if (nameLen == 0)
            {
                return false;
            }

            var name = s.Slice(i, nameLen).ToString();
            i = SkipLws(s, i + nameLen);
            string? value = null;
            if (i < s.Length && s[i] == '=')
            {
                i = SkipLws(s, i + 1);
                if (i < s.Length && s[i] == '"')
                {
                    var end = SkipQuoted(s, i);
                    if (end < 0)
                    {
                        return false;
                    }

                    value = s[i..end].ToString();
                    i = end;
                }
                else
                {
                    var len = ValueLength(s[i..]);
                    if (len == 0)
                    {
                        return false;
                    }

                    value = s.Slice(i, len).ToString();
                    i += len;
                }
            }

            if (into.ContainsKey(name))
            {
                return false;
            }

            into.Add(name, value);
            i = SkipLws(s, i);
        }

        return true;

        // gen-value = token / host / quoted-string; host adds ':' and brackets for IPv6.
        static int ValueLength(ReadOnlySpan<char> v)
        {
            var n = 0;
            while (n < v.Length && (IsTokenChar(v[n]) || v[n] is ':' or '[' or ']'))
            {
                n++;
            }

            return n;
        }
    }

    internal static void AppendHeaderParams(StringBuilder sb, ParameterCollection<string?> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            sb.Append(';').Append(name);
            if (value is not null)
            {
                sb.Append('=').Append(value);
            }
        }
    }
}
