namespace Telephony.Recording.Storage;

/// <summary>How a call ended, for the CDR and the missed-call alerts.</summary>
public enum CallOutcome
{
    /// <summary>Reached a person.</summary>
    Answered,

    /// <summary>The caller hung up (CANCEL) before anyone answered, outside an IVR or queue (e.g. a ringing extension).</summary>
    Abandoned,
    AbandonedInIvr,
    AbandonedInQueue,
    Overflowed,
    NoAgent,
    AfterHours,
    Failed,

    /// <summary>The server stopped during the call (closed at start-up by <see cref="RecordingRecovery"/>).</summary>
    Interrupted,
}
