namespace Telephony.Pbx.Contracts;

/// <summary>How a call ended, for its call record and the missed-call alerts. The call layer names it as the call goes
/// (<see cref="CallOutcomes.Advance"/>); the call records store its name.</summary>
public enum CallOutcome
{
    /// <summary>Reached a person (for IVR and queue calls: an agent or extension was bridged to the caller).</summary>
    Answered,

    /// <summary>The caller hung up (CANCEL) before anyone answered, outside an IVR or queue (e.g. a ringing extension).</summary>
    Abandoned,

    /// <summary>The caller hung up in the IVR, before reaching a queue or a person.</summary>
    AbandonedInIvr,

    /// <summary>The caller hung up while waiting in a queue (or while agents rang).</summary>
    AbandonedInQueue,

    /// <summary>The queue's max wait passed and the call went to a goodbye message (or the IVR's overflow path).</summary>
    Overflowed,

    /// <summary>Nobody could take the call: busy/unavailable extension, a queue that refused the caller, or a queue that
    /// overflowed with none of its agents logged in.</summary>
    NoAgent,

    /// <summary>The IVR took a business-hours schedule's closed (or holiday) branch.</summary>
    AfterHours,

    /// <summary>Could not be set up or the application failed.</summary>
    Failed,

    /// <summary>The server stopped during the call (closed at start-up by the recording recovery).</summary>
    Interrupted,

    /// <summary>The IVR ended the call on purpose without a person (a hangup node with an information message, a feature
    /// code): not a missed call.</summary>
    CompletedInIvr,

    /// <summary>The caller asked to be called back (in the queue, or at an IVR <c>callback</c> node) and left: served
    /// another way, not a missed call and not an abandon. The callback's own calls have call records of their own.</summary>
    CallbackRequested,
}
