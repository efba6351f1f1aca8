namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>Tiny helpers to read SIP message text in tests (start line, header values, status code).</summary>
public static class SipText
{
    private static readonly Dictionary<string, string> Compact = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Via"] = "v", ["From"] = "f", ["To"] = "t", ["Call-ID"] = "i", ["Contact"] = "m",
        ["Content-Length"] = "l", ["Content-Type"] = "c", ["Supported"] = "k",
    };

    /// <summary>First value of header <paramref name="name"/> (long or compact form), trimmed; null if absent.</summary>
    public static string? Header(string message, string name) => Headers(message, name).FirstOrDefault();

    /// <summary>All values of header <paramref name="name"/> in order.</summary>
    public static IReadOnlyList<string> Headers(string message, string name)
    {
        Compact.TryGetValue(name, out string? compact);
        var values = new List<string>();
        foreach (string raw in HeaderLines(message))
        {
            int colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            string n = raw[..colon].Trim();
            if (n.Equals(name, StringComparison.OrdinalIgnoreCase) ||
                (compact is not null && n.Equals(compact, StringComparison.OrdinalIgnoreCase)))
            {
                values.Add(raw[(colon + 1)..].Trim());
            }
        }

        return values;
    }

    /// <summary>Status code of a response (0 for requests or garbage).</summary>
    public static int StatusCode(string message) =>
        message.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && message.Length >= 11 &&
        int.TryParse(message.AsSpan(8, 3), out int code)
            ? code
            : 0;

    /// <summary>The first line without CR/LF.</summary>
    public static string StartLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');

    /// <summary>A parameter value (<c>tag</c>, <c>nonce</c>, ...) from a header value; quotes removed.</summary>
    public static string? Parameter(string headerValue, string parameter)
    {
        foreach (string part in headerValue.Split([';', ','], StringSplitOptions.TrimEntries))
        {
            string p = part;
            int space = p.LastIndexOf(' ');
            if (space >= 0 && p.IndexOf('=', StringComparison.Ordinal) > space)
            {
                p = p[(space + 1)..];
            }

            int eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && p[..eq].Trim().Equals(parameter, StringComparison.OrdinalIgnoreCase))
            {
                return p[(eq + 1)..].Trim().Trim('"');
            }
        }

        return null;
    }

    private static IEnumerable<string> HeaderLines(string message)
    {
        string head = message.Split("\r\n\r\n", 2)[0];
        string[] lines = head.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? current = null;
        foreach (string line in lines.Skip(1))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && current is not null)
            {
                current += " " + line.Trim();
                continue;
            }

            if (current is not null)
            {
                yield return current;
            }

            current = line;
        }

        if (current is not null)
        {
            yield return current;
        }
    }
}
