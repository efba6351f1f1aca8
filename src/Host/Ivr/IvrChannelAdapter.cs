using Telephony.Host.Voicemail;
using Telephony.Ivr.Engine;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Host.Ivr;

/// <summary>
/// The IVR's <see cref="IIvrChannel"/> port over a Pbx <see cref="ApplicationCall"/>: prompts come from the
/// <see cref="PromptLibrary"/> (<c>sounds/&lt;language&gt;/&lt;id&gt;.wav</c>), queues go through the
/// <see cref="QueueCallCoordinator"/>, transfers ring the extension, or call the external number through the named
/// trunk (<see cref="ApplicationCall.ConnectTrunkAsync(string, string, IReadOnlyList{KeyValuePair{string, string}}, TimeSpan)"/>),
/// and bridge (RFC 3261 B2BUA); the interaction data travels in the X-Telephony-* headers either way.
/// </summary>
/// <param name="voicemail">Records the <c>voicemail</c> node's messages; without it that node takes its error path.</param>
public sealed class IvrChannelAdapter(ApplicationCall call, PromptLibrary prompts, QueueCallCoordinator? queues, TimeSpan ringTimeout,
    VoicemailRecorder? voicemail = null)
    : IIvrChannel
{
    public Task PlayAsync(string language, IReadOnlyList<string> promptIds, bool bargeIn)
    {
        var clips = new List<AudioClip>(promptIds.Count);
        foreach (var id in promptIds)
        {
            var clip = prompts.TryGet($"{language}/{id}.wav", out var error);
            if (clip is null)
            {
                return Task.FromException(new FileNotFoundException(error ?? $"prompt {language}/{id} not found"));
            }
            clips.Add(clip);
        }
        return call.PlayAsync(clips);
    }

    public void StopPlayback() => call.StopPlayback();

    public async Task<IvrQueueOutcome> EnqueueAsync(IvrQueueRequest request)
    {
        if (queues is null)
        {
            return IvrQueueOutcome.Rejected;
        }
        var entry = new QueueEntry(request.Queue, request.Priority, request.Interaction.Tags, Data(request.Interaction),
            request.HasOverflow, request.MaxWait, request.HasCallbackPath);
        var outcome = await queues.EnqueueAsync(call, entry).ConfigureAwait(false);
        return outcome switch
        {
            QueueEntryOutcome.Answered => IvrQueueOutcome.Answered,
            QueueEntryOutcome.Overflow => IvrQueueOutcome.Overflow,
            QueueEntryOutcome.CallbackRequested => IvrQueueOutcome.Callback,
            _ => IvrQueueOutcome.Rejected,
        };
    }

    public async Task<IvrTransferOutcome> TransferAsync(IvrTransferRequest request)
    {
        var interaction = request.Interaction;
        var headers = QueueCallCoordinator.InteractionHeaders(call.InteractionId, null, interaction.Priority, interaction.Tags,
            Data(interaction));
        var connected = request.Trunk is { } trunk
            ? await call.ConnectTrunkAsync(trunk, request.Target, headers, ringTimeout).ConfigureAwait(false) // external number
            : await call.ConnectAsync(request.Target, headers, ringTimeout).ConfigureAwait(false);
        return connected ? IvrTransferOutcome.Connected : IvrTransferOutcome.Failed;
    }

    /// <summary>The IVR <c>callback</c> node: the queues ask the caller for the number and book the callback.</summary>
    public async Task<IvrCallbackOutcome> RequestCallbackAsync(IvrCallbackRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (queues is null)
        {
            return IvrCallbackOutcome.Failed;
        }
        var placement = await queues.RequestCallbackFromCallerAsync(call, request.Queue, request.Priority, request.Interaction.Tags,
            Data(request.Interaction)).ConfigureAwait(false);
        return placement.Accepted ? IvrCallbackOutcome.Booked : IvrCallbackOutcome.Failed;
    }

    public void Hangup(string language, string? promptId)
    {
        var clip = promptId is null ? null : prompts.TryGet($"{language}/{promptId}.wav", out _);
        call.Hangup(clip, promptId is null ? "IVR hung up" : "IVR hung up after " + promptId);
    }

    public Task<IvrRecording> RecordAsync(IvrRecordRequest request) => voicemail is null
        ? Task.FromException<IvrRecording>(new NotSupportedException("voicemail is not configured"))
        : voicemail.RecordAsync(call, request);

    public void StopRecording() => voicemail?.Stop(call);

    public void SaveRecording(IvrRecording recording) => voicemail?.Save(recording);

    public void DiscardRecording(IvrRecording recording) => voicemail?.Discard(recording);

    /// <summary>The IVR variables that travel with the interaction (header X-Telephony-Var-&lt;name&gt;).</summary>
    private static Dictionary<string, string> Data(IvrInteraction interaction) =>
        new(interaction.Variables, StringComparer.Ordinal);
}
