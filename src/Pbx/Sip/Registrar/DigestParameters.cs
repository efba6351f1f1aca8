using System.Text;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// Splits a challenge/credentials header value ("Digest" auth-param list, RFC 7235 §2.1 / RFC 3261 §25.1) into a
/// case-insensitive name → value map. Values may be tokens or quoted-strings with backslash escapes. Never throws.
/// </summary>
internal static class DigestParameters
{
    /// <summary>Longest header value we look at [characters].</summary>
    public const int MaxLength = 4096;

    /// <summary>Most parameters accepted.</summary>
    public const int MaxParameters = 32;

    public static bool TryParse(string? text, out Dictionary<string, string> parameters)
    {
        parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (text is null || text.Length > MaxLength)
        {
            return false;
        }

        int i = SkipWs(text, 0);
        int start = i;
        while (i < text.Length && IsTokenChar(text[i]))
        {
            i++;
        }

        if (!text.AsSpan(start, i - start).Equals("Digest", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (i < text.Length && text[i] is not (' ' or '\t'))
        {
            return false;
        }

        while (true)
        {
            i = SkipWs(text, i);
            while (i < text.Length && text[i] == ',')
            {
                i = SkipWs(text, i + 1);
            }

            if (i >= text.Length)
            {
                return parameters.Count > 0;
            }

            start = i;
            while (i < text.Length && IsTokenChar(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }

            string name = text[start..i];
            i = SkipWs(text, i);
            if (i >= text.Length || text[i] != '=')
            {
                return false;
            }

            i = SkipWs(text, i + 1);
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        return false;
                    }

                    char c = text[i++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        if (i >= text.Length)
                        {
                            return false;
                        }

                        c = text[i++];
                    }

                    if (c is '\r' or '\n' or '\0')
                    {
                        return false;
                    }

                    sb.Append(c);
                }

                value = sb.ToString();
            }
            else
            {
                start = i;
                while (i < text.Length && IsTokenChar(text[i]))
                {
                    i++;
                }

                if (i == start)
                {
                    return false;
                }

                value = text[start..i];
            }

            if (parameters.Count >= MaxParameters || !parameters.TryAdd(name, value))
            {
                return false;
            }

            i = SkipWs(text, i);
            if (i < text.Length && text[i] != ',')
            {
                return false;
            }
        }
    }

    /// <summary>Appends name="value" with quoted-string escaping.</summary>
    public static void AppendQuoted(StringBuilder sb, string name, string value)
    {
        sb.Append(name).Append("=\"");
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        sb.Append('"');
    }

    private static int SkipWs(string text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\r' or '\n')
        {
            i++;
        }

        return i;
    }

    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~' or '/' or ':' or '@';
}
