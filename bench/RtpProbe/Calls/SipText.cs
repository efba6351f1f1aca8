using System.Globalization;
using System.Text;

namespace Telephony.RtpProbe.Calls;

/// <summary>
/// Just enough SIP text handling for a load UAC (RFC 3261 §7): split a datagram into start line, headers
/// (compact forms of Call-ID, To, Contact, Via, CSeq mapped) and body.
/// </summary>
internal sealed class SipText
{
    private SipText(string startLine, List<(string Name, string Value)> headers, string body)
    {
        StartLine = startLine;
        Headers = headers;
        Body = body;
    }

    public string StartLine { get; }
    public List<(string Name, string Value)> Headers { get; }
    public string Body { get; }
    public bool IsResponse => StartLine.StartsWith("SIP/2.0 ", StringComparison.Ordinal);

    public int Status => IsResponse && StartLine.Length >= 11
        && int.TryParse(StartLine.AsSpan(8, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;

    public string Method => IsResponse ? "" : StartLine[..Math.Max(0, StartLine.IndexOf(' ', StringComparison.Ordinal))];

    /// <summary>The CSeq method (INVITE, BYE).</summary>
    public string CSeqMethod => (Header("CSeq") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 2 } p ? p[1] : "";

    public string? Header(string name)
    {
        foreach (var (n, v) in Headers)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }
        return null;
    }

    public IEnumerable<string> All(string name) =>
        Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <summary>The URI inside Contact's angle brackets (or the bare value).</summary>
    public string? ContactUri()
    {
        var c = Header("Contact");
        if (c is null)
        {
            return null;
        }
        int lt = c.IndexOf('<', StringComparison.Ordinal), gt = c.IndexOf('>', StringComparison.Ordinal);
        return lt >= 0 && gt > lt ? c[(lt + 1)..gt] : c.Split(';')[0].Trim();
    }

    public static SipText? Parse(ReadOnlySpan<byte> datagram)
    {
        var text = Encoding.UTF8.GetString(datagram);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }
        var lines = text[..end].Split("\r\n");
        var headers = new List<(string, string)>(lines.Length);
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var name = lines[i][..colon].Trim();
            name = name.ToUpperInvariant() switch
            {
                "I" => "Call-ID",
                "T" => "To",
                "F" => "From",
                "M" => "Contact",
                "V" => "Via",
                "L" => "Content-Length",
                _ => name,
            };
            headers.Add((name, lines[i][(colon + 1)..].Trim()));
        }
        return new SipText(lines[0], headers, text[(end + 4)..]);
    }
}
