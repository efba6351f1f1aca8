using System.Globalization;
using Telephony.Ivr.Engine;
using Telephony.Ivr.Model;

namespace Telephony.Ivr.CommandLine;

/// <summary>
/// Walks a flow offline: digits are fed in groups (one comma-separated group per prompt the caller answers),
/// silence becomes a timeout, and the clock starts at the given instant. Writes the transcript of nodes and actions.
/// </summary>
public sealed class IvrSimulator
{
    private const int MaxSteps = 1000;

    public required IvrFlow Flow { get; init; }
    public required string Caller { get; init; }
    public required string Called { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>
    /// "2,1234#": the first group answers the first menu or collect, the next group the next one; "" is silence.
    /// </summary>
    public string? Digits { get; init; }

    public IvrQueueOutcome QueueOutcome { get; init; } = IvrQueueOutcome.Answered;
    public IvrTransferOutcome TransferOutcome { get; init; } = IvrTransferOutcome.Connected;

    /// <summary>The caller hangs up on entering this node.</summary>
    public string? HangupAt { get; init; }

    /// <summary>How long a caller speaks into a voicemail node (then is silent); zero: says nothing.</summary>
    public TimeSpan MessageLength { get; init; } = TimeSpan.FromSeconds(8);

    public IvrCallResult Run(TextWriter output)
    {
        var clock = new ManualTimeProvider(At);
        void Write(string line)
        {
            var elapsed = clock.GetUtcNow() - At;
            output.WriteLine($"[{(int)elapsed.TotalMinutes:D2}:{elapsed.Seconds:D2}]   {line}");
        }

        var channel = new SimulatedChannel(Write, clock, QueueOutcome, TransferOutcome) { MessageLength = MessageLength };
        var call = new IvrCall(Flow, channel, Caller, Called, clock, callId: "simulated");
        var groups = Digits is null ? [] : Digits.Split(',').ToList();
        var groupIndex = -1;
        var pending = new Queue<char>();
        var hungUp = false;
        call.Traced += Write;
        call.NodeEntered += node =>
        {
            var elapsed = clock.GetUtcNow() - At;
            output.WriteLine($"[{(int)elapsed.TotalMinutes:D2}:{elapsed.Seconds:D2}] -> {node}");
            if (node == HangupAt && !hungUp)
            {
                hungUp = true;
                Write("caller hangs up");
                call.OnHangup();
            }
        };
        call.InputStarted += () =>
        {
            if (pending.Count > 0)
            {
                Write($"unused digits {string.Concat(pending)}");
            }
            groupIndex++;
            pending = new Queue<char>(groupIndex < groups.Count ? groups[groupIndex] : "");
        };

        output.WriteLine($"flow {Flow.Name} v{Flow.Version}: call to {Called} from {Caller} at "
            + At.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        call.Start();
        for (var step = 0; !call.IsEnded && step < MaxSteps; step++)
        {
            if (pending.TryDequeue(out var digit))
            {
                call.OnDigit(digit);
            }
            else if (!clock.AdvanceToNextTimer())
            {
                Write("nothing more happens: stopping");
                call.OnHangup();
            }
        }
        if (!call.IsEnded)
        {
            Write($"still running after {MaxSteps} steps: stopping");
            call.OnHangup();
        }
        var result = call.Completion.Result;
        var data = result.Interaction;
        output.WriteLine($"path: {string.Join(" > ", data.Path)}");
        output.WriteLine($"result: {IvrCall.SnakeCase(result.Reason)} in {result.LastNode}; priority {data.Priority}; "
            + $"tags [{string.Join(", ", data.Tags)}]");
        output.WriteLine("variables: " + string.Join(", ",
            data.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}")));
        return result;
    }
}
