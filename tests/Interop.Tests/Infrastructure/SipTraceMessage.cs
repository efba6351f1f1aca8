using System.Text.RegularExpressions;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>One SIP message from a SIPp <c>-trace_msg</c> log: direction, transport and text.</summary>
public sealed partial record SipTraceMessage(bool Sent, string Transport, string Text)
{
    /// <summary>The start line (<c>INVITE sip:...</c> or <c>SIP/2.0 200 OK</c>).</summary>
    public string StartLine => Text.Split('\n', 2)[0].TrimEnd('\r');

    /// <summary>Status code for responses, else 0.</summary>
    public int StatusCode =>
        StartLine.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && StartLine.Length >= 11 &&
        int.TryParse(StartLine.AsSpan(8, 3), out int code)
            ? code
            : 0;

    /// <summary>Request method for requests, else null.</summary>
    public string? Method => StatusCode == 0 ? StartLine.Split(' ', 2)[0] : null;

    /// <summary>CSeq method (for telling a 200 to INVITE from a 200 to BYE).</summary>
    public string? CSeqMethod => SipText.Header(Text, "CSeq")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);

    /// <summary>Splits a whole <c>-trace_msg</c> file into messages.</summary>
    public static IReadOnlyList<SipTraceMessage> ParseLog(string log)
    {
        var result = new List<SipTraceMessage>();
        string[] blocks = Separator().Split(log);
        foreach (string block in blocks)
        {
            Match m = Direction().Match(block);
            if (!m.Success)
            {
                continue;
            }

            string text = block[(m.Index + m.Length)..].TrimStart('\r', '\n');
            result.Add(new SipTraceMessage(m.Groups["dir"].Value == "sent", m.Groups["tp"].Value, text));
        }

        return result;
    }

    [GeneratedRegex(@"^-{20,} .*$", RegexOptions.Multiline)]
    private static partial Regex Separator();

    [GeneratedRegex(@"(?<tp>UDP|TCP|TLS|SCTP) message (?<dir>sent|received)[^\n]*\n")]
    private static partial Regex Direction();
}
