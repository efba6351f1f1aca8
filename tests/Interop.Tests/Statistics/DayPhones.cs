using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Telephony.Interop.Tests.Statistics;

/// <summary>What the callers and the agents' phones saw of one scripted call (times on the shared wall clock).</summary>
internal sealed class DayCallLog
{
    public DateTimeOffset? Entered { get; set; }
    public DateTimeOffset? AbandonedAt { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public string? Agent { get; set; }
    public double TalkSeconds { get; set; }
    public int? FailedStatus { get; set; }
    public DateTimeOffset? ServerByeAt { get; set; }
}

/// <summary>
/// Shared pieces of the day's scripted SIP phones (RFC 3261 §8.2.6 responses, §12.2 in-dialog requests) and the one
/// loop each runs: receive with a timeout up to the next scripted action, run due actions, repeat until stopped.
/// </summary>
internal abstract class DayPhone(RawSipClient client) : IDisposable
{
    private readonly List<(DateTimeOffset At, Func<Task> Action)> _due = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    protected RawSipClient Client { get; } = client;

    public static ConcurrentDictionary<int, DayCallLog> NewLog() => new();

    public List<string> Errors { get; } = [];

    protected static DateTimeOffset Now => DateTimeOffset.UtcNow;

    public void Start() => _loop = Task.Run(RunAsync);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    protected void At(DateTimeOffset at, Func<Task> action) => _due.Add((at, action));

    protected abstract Task OnMessageAsync(string message);

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var item in _due.Where(d => d.At <= Now).OrderBy(d => d.At).ToList())
            {
                _due.Remove(item);
                await Guard(item.Action);
            }
            TimeSpan wait = _due.Count == 0 ? TimeSpan.FromMilliseconds(50) : _due.Min(d => d.At) - Now;
            wait = wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : wait;
            if (await Client.ReceiveAsync(wait) is { } message)
            {
                await Guard(() => OnMessageAsync(message));
            }
        }
    }

    private async Task Guard(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or IndexOutOfRangeException or ArgumentException)
        {
            Errors.Add(e.Message);
        }
    }

    /// <summary>A response to <paramref name="request"/>: its Vias, From, Call-ID and CSeq, To with <paramref name="toTag"/>.</summary>
    protected string Response(string request, int status, string reason, string? toTag, string? body = null, string? contactUser = null)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"SIP/2.0 {status} {reason}\r\n");
        foreach (string via in SipText.Headers(request, "Via"))
        {
            sb.Append("Via: ").Append(via).Append("\r\n");
        }
        string to = SipText.Header(request, "To")!;
        if (toTag is not null && !to.Contains(";tag=", StringComparison.Ordinal))
        {
            to += ";tag=" + toTag;
        }
        sb.Append("From: ").Append(SipText.Header(request, "From")).Append("\r\nTo: ").Append(to)
            .Append("\r\nCall-ID: ").Append(SipText.Header(request, "Call-ID")).Append("\r\nCSeq: ").Append(SipText.Header(request, "CSeq")).Append("\r\n");
        if (contactUser is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Contact: <sip:{contactUser}@{Client.Local.Address}:{Client.Local.Port}>\r\n");
        }
        if (body is not null)
        {
            sb.Append("Content-Type: application/sdp\r\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.UTF8.GetByteCount(body ?? "")}\r\n\r\n{body}");
        return sb.ToString();
    }

    /// <summary>A request in the dialog of <paramref name="peerRequest"/> (an INVITE the peer sent us, which we answered
    /// with <paramref name="localTag"/>): From and To swapped, to the peer's Contact.</summary>
    protected string InDialog(string method, string peerRequest, string localTag, int cseq, string user)
    {
        string target = Uri(SipText.Header(peerRequest, "Contact")!);
        string from = SipText.Header(peerRequest, "To")!;
        if (!from.Contains(";tag=", StringComparison.Ordinal))
        {
            from += ";tag=" + localTag;
        }
        return $"{method} {target} SIP/2.0\r\nVia: SIP/2.0/UDP {Client.Local.Address}:{Client.Local.Port};branch={RawSipClient.NewBranch()};rport\r\n" +
            $"Max-Forwards: 70\r\nFrom: {from}\r\nTo: {SipText.Header(peerRequest, "From")}\r\nCall-ID: {SipText.Header(peerRequest, "Call-ID")}\r\n" +
            $"CSeq: {cseq} {method}\r\nContact: <sip:{user}@{Client.Local.Address}:{Client.Local.Port}>\r\nContent-Length: 0\r\n\r\n";
    }

    protected static string Uri(string nameAddress)
    {
        int lt = nameAddress.IndexOf('<', StringComparison.Ordinal), gt = nameAddress.IndexOf('>', StringComparison.Ordinal);
        return lt >= 0 && gt > lt ? nameAddress[(lt + 1)..gt] : nameAddress.Split(';')[0].Trim();
    }

    public void Dispose()
    {
        _stop.Dispose();
        Client.Dispose();
    }

    protected static string Method(string message) => message[..message.IndexOf(' ', StringComparison.Ordinal)];
}
