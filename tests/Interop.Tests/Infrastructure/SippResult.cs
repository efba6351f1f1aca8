namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>What a SIPp run left behind: exit code (0 = every call succeeded), message trace, error file,
/// final statistics row and screen dump.</summary>
public sealed record SippResult(
    int ExitCode,
    bool KilledByHarness,
    string CommandLine,
    string Output,
    string MessageLog,
    string ErrorLog,
    string Screen,
    SippStats? Stats)
{
    /// <summary>Messages parsed from <see cref="MessageLog"/>.</summary>
    public IReadOnlyList<SipTraceMessage> Messages => SipTraceMessage.ParseLog(MessageLog);

    /// <summary>Status codes of the responses SIPp received, in order.</summary>
    public IReadOnlyList<int> ReceivedStatusCodes => Messages.Where(m => !m.Sent && m.StatusCode > 0).Select(m => m.StatusCode).ToList();

    /// <summary>Methods of the requests SIPp received, in order.</summary>
    public IReadOnlyList<string> ReceivedRequests => Messages.Where(m => !m.Sent && m.Method is not null).Select(m => m.Method!).ToList();

    /// <summary>True when SIPp exited 0 (every call successful).</summary>
    public bool Succeeded => ExitCode == 0 && !KilledByHarness;

    /// <summary>A description for assertion messages: exit code, stats, errors, received messages, output.</summary>
    public string Describe()
    {
        IEnumerable<string> received = Messages.Select(m => (m.Sent ? "  > " : "  < ") + m.StartLine);
        return $"sipp exit {ExitCode}{(KilledByHarness ? " (killed by harness)" : string.Empty)}; stats: {Stats?.ToString() ?? "none"}\n" +
               $"command: {CommandLine}\n" +
               $"messages:\n{string.Join('\n', received)}\n" +
               $"errors:\n{Tail(ErrorLog, 40)}\n" +
               $"output:\n{Tail(Output, 20)}\n" +
               $"screen:\n{Tail(Screen, 30)}";
    }

    private static string Tail(string text, int lines)
    {
        string[] all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
