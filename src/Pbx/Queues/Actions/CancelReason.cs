namespace Telephony.Pbx.Queues.Actions;

/// <summary>Why a ringing agent leg was cancelled.</summary>
public enum CancelReason
{
    RingTimeout,
    CallerHungUp,
    AnsweredElsewhere,
    AgentPaused,
    AgentLoggedOut,
}
