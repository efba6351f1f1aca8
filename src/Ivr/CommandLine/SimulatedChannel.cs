using System.Globalization;
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

    /// <summary>How long the simulated caller speaks into voicemail; zero: nothing.</summary>
    public TimeSpan MessageLength { get; init; } = TimeSpan.FromSeconds(8);

    private int _messages;

    /// <summary>The caller speaks <see cref="MessageLength"/>, then stays silent until the request's silence ends the
    /// recording (or its maximum length).</summary>
    public Task<IvrRecording> RecordAsync(IvrRecordRequest request)
    {
        var id = "message-" + (++_messages).ToString(CultureInfo.InvariantCulture);
        var speech = MessageLength < request.MaxLength ? MessageLength : request.MaxLength;
        var end = request.Silence is { } silence && speech + silence < request.MaxLength ? IvrRecordingEnd.Silence : IvrRecordingEnd.Stopped;
        var length = end == IvrRecordingEnd.Silence ? speech + request.Silence!.Value : request.MaxLength;
        write($"recording for mailbox {request.Mailbox}: {IvrCall.Describe(speech)} said, ends by {end.ToString().ToLowerInvariant()}");
        clock.Advance(length);
        return Task.FromResult(new IvrRecording(id, length, speech == TimeSpan.Zero, end));
    }

    public void StopRecording() => write("stop recording");

    public void SaveRecording(IvrRecording recording) => write($"save {recording.Id}");

    public void DiscardRecording(IvrRecording recording) => write($"discard {recording.Id}");
}
