namespace Telephony.Pbx.Queues.Actions;

/// <summary>Why a ringing agent leg was cancelled.</summary>
public enum CancelReason
{
    RingTimeout,
    CallerHungUp,
    AnsweredElsewhere,
    AgentPaused,
    AgentLoggedOut,
    /// <summary>The entry left or was re-timed by the call layer: a caller chose a callback, a callback was deferred or
    /// cancelled. Not the agent's doing (no skip).</summary>
    Withdrawn,
}
