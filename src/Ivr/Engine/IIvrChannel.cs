namespace Telephony.Ivr.Engine;

/// <summary>
/// The port an <see cref="IvrCall"/> drives: one caller's media and signalling, adapted from a Pbx call leg by the
/// host. Completions come back as finished tasks (the call turns them into triggers); the caller's keys (RFC 4733
/// telephone-events or in-band DTMF, the channel decides) and hangup come back through
/// <see cref="IvrCall.OnDigit"/> and <see cref="IvrCall.OnHangup"/>. Implementations must not block.
/// </summary>
public interface IIvrChannel
{
    /// <summary>
    /// Plays prompts in order (<paramref name="promptIds"/> are file names under <c>sounds/&lt;language&gt;/</c>
    /// without <c>.wav</c>). Completes when the last prompt ends or <see cref="StopPlayback"/> stops it; faults on
    /// a missing file or a dead leg (the flow takes its error path). With <paramref name="bargeIn"/> the call stops
    /// the prompt itself when a digit arrives.
    /// </summary>
    Task PlayAsync(string language, IReadOnlyList<string> promptIds, bool bargeIn);

    /// <summary>Stops the current playback at once (barge-in). No-op when nothing plays.</summary>
    void StopPlayback();

    /// <summary>
    /// Puts the caller into a queue with the interaction data. Completes with <see cref="IvrQueueOutcome.Answered"/>
    /// when an agent took the call (the IVR is done), <see cref="IvrQueueOutcome.Overflow"/> after
    /// <see cref="IvrQueueRequest.MaxWait"/> (the flow continues at its overflow node) or
    /// <see cref="IvrQueueOutcome.Rejected"/> (unknown queue, no agents configured: error path).
    /// </summary>
    Task<IvrQueueOutcome> EnqueueAsync(IvrQueueRequest request);

    /// <summary>Blind-transfers the caller to an extension or, through a trunk, an external number.</summary>
    Task<IvrTransferOutcome> TransferAsync(IvrTransferRequest request);

    /// <summary>Ends the call, after playing <paramref name="promptId"/> (in <paramref name="language"/>) when given.</summary>
    void Hangup(string language, string? promptId);

    /// <summary>
    /// Asks the caller for the number to call back (their own, confirmed, or another one keyed in) and books a callback
    /// in <see cref="IvrCallbackRequest.Queue"/>'s line. Completes with <see cref="IvrCallbackOutcome.Booked"/> or
    /// <see cref="IvrCallbackOutcome.Failed"/> (default: a channel without callbacks fails).
    /// </summary>
    Task<IvrCallbackOutcome> RequestCallbackAsync(IvrCallbackRequest request) => Task.FromResult(IvrCallbackOutcome.Failed);
    /// Records the caller for a voicemail message (<c>voicemail</c> node; the beep has been played). Completes when
    /// <see cref="StopRecording"/> is called, after the request's silence, or when the caller hangs up; the recording is
    /// then pending (see <see cref="IvrRecording"/>). Channels that cannot record fault it (the node takes its error path).
    /// </summary>
    Task<IvrRecording> RecordAsync(IvrRecordRequest request) =>
        Task.FromException<IvrRecording>(new NotSupportedException("this channel cannot record voicemail"));

    /// <summary>Ends the recording in progress (finish key, maximum length). No-op when none runs.</summary>
    void StopRecording()
    {
    }

    /// <summary>Keeps <paramref name="recording"/> as a message in its mailbox (the caller confirmed, or did not object).</summary>
    void SaveRecording(IvrRecording recording)
    {
    }

    /// <summary>Throws <paramref name="recording"/> away (the caller records again, or said nothing).</summary>
    void DiscardRecording(IvrRecording recording)
    {
    }
}
