using Telephony.Ivr.Engine;

namespace Telephony.Ivr.Tests.Engine;

/// <summary>A channel whose plays, queues and transfers stay pending until the test completes them.</summary>
internal sealed class RecordingChannel : IIvrChannel
{
    public List<string> Actions { get; } = [];
    public TaskCompletionSource? Playback { get; private set; }
    public TaskCompletionSource<IvrQueueOutcome>? Queue { get; private set; }
    public TaskCompletionSource<IvrTransferOutcome>? Transfer { get; private set; }
    public IvrQueueRequest? LastQueueRequest { get; private set; }

    /// <summary>When set, prompts finish at once.</summary>
    public bool InstantPrompts { get; set; }

    public Task PlayAsync(string language, IReadOnlyList<string> promptIds, bool bargeIn)
    {
        Actions.Add($"play {string.Join("+", promptIds)}{(bargeIn ? " barge-in" : "")}");
        if (InstantPrompts)
        {
            return Task.CompletedTask;
        }
        Playback = new TaskCompletionSource();
        return Playback.Task;
    }

    public void StopPlayback()
    {
        Actions.Add("stop");
        Playback?.TrySetResult();
    }

    public Task<IvrQueueOutcome> EnqueueAsync(IvrQueueRequest request)
    {
        LastQueueRequest = request;
        Actions.Add($"enqueue {request.Queue} {request.Priority}");
        Queue = new TaskCompletionSource<IvrQueueOutcome>();
        return Queue.Task;
    }

    public Task<IvrTransferOutcome> TransferAsync(IvrTransferRequest request)
    {
        Actions.Add($"transfer {request.Target}{(request.Trunk is null ? "" : " via " + request.Trunk)}");
        Transfer = new TaskCompletionSource<IvrTransferOutcome>();
        return Transfer.Task;
    }

    public void Hangup(string language, string? promptId) => Actions.Add($"hangup {promptId}".TrimEnd());

    /// <summary>Finishes the current prompt.</summary>
    public void FinishPrompt() => Playback!.SetResult();
}
