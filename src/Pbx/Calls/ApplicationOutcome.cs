namespace Telephony.Pbx.Calls;

/// <summary>
/// Where an <see cref="ApplicationCall"/> stands for its call record: the outcome it gets if it ends now. The names
/// match the call record's outcomes (they travel as <see cref="Call.Outcome"/>). Only <see cref="Answered"/> means a
/// person took the call, and it sticks once reached (see <see cref="ApplicationOutcomes.Advance"/>).
/// </summary>
public enum ApplicationOutcome
{
    /// <summary>In the IVR (menus, prompts): the caller leaving now abandoned in the IVR.</summary>
    AbandonedInIvr,

    /// <summary>The application ended the call on purpose without a person (an IVR hangup node with an information
    /// message, a feature code): not a missed call.</summary>
    CompletedInIvr,

    /// <summary>Waiting in a queue (or agents ringing).</summary>
    AbandonedInQueue,

    /// <summary>Max wait reached: sent to a goodbye or the IVR's overflow path.</summary>
    Overflowed,

    /// <summary>The queue refused the caller, or no agent of the queue was logged in when it overflowed.</summary>
    NoAgent,

    /// <summary>The IVR took a schedule node's closed (or holiday) branch.</summary>
    AfterHours,

    /// <summary>A person (agent or extension) was bridged to the caller.</summary>
    Answered,

    /// <summary>The application failed (no IVR tree, an IVR error with no path left).</summary>
    Failed,
}
