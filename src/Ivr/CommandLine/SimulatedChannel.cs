using Telephony.Ivr.Engine;

namespace Telephony.Ivr.CommandLine;

/// <summary>
/// The offline channel of <c>simulate</c>: prompts "play" instantly, queues and transfers answer as configured, every action is
/// written down.
/// </summary>
internal sealed class SimulatedChannel(Action<string> write, ManualTimeProvider clock, IvrQueueOutcome queueOutcome,
    IvrTransferOutcome transferOutcome)
    : IIvrChannel
{
    public Task PlayAsync(string language, IReadOnlyList<string> promptIds, bool bargeIn)
    {
        write($"play {string.Join(" + ", promptIds)}{(bargeIn ? " (barge-in)" : "")}");
        return Task.CompletedTask;
    }

    public void StopPlayback() => write("stop playback");

    public Task<IvrQueueOutcome> EnqueueAsync(IvrQueueRequest request)
    {
        var data = request.Interaction;
        var variables = data.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $" {v.Key}={v.Value}");
        write($"enqueue {request.Queue} priority {request.Priority} max_wait {IvrCall.Describe(request.MaxWait)}"
            + $" tags [{string.Join(", ", data.Tags)}]{string.Concat(variables)}");
        if (queueOutcome == IvrQueueOutcome.Overflow && request.MaxWait is { } wait)
        {
            clock.Advance(wait);
        }
        return Task.FromResult(queueOutcome);
    }

    public Task<IvrTransferOutcome> TransferAsync(IvrTransferRequest request)
    {
        write($"transfer to {request.Target}{(request.Trunk is { } trunk ? " via trunk " + trunk : "")}");
        return Task.FromResult(transferOutcome);
    }

    public void Hangup(string language, string? promptId) =>
        write(promptId is null ? "hang up" : $"play {promptId}, hang up");
}
