namespace Telephony.Recording.Storage;

/// <summary>Rules over <see cref="CallOutcome"/>.</summary>
public static class CallOutcomes
{
    /// <summary>
    /// True when the caller never reached a person and should get a missed-call alert for a callback:
    /// abandoned while ringing, in IVR or in queue, overflowed to goodbye, after hours, no agent. Not for
    /// <see cref="CallOutcome.CompletedInIvr"/> (the caller got what the IVR had to say), answered, failed or interrupted.
    /// </summary>
    public static bool IsMissed(CallOutcome outcome) => outcome is CallOutcome.Abandoned or CallOutcome.AbandonedInIvr
        or CallOutcome.AbandonedInQueue or CallOutcome.Overflowed or CallOutcome.AfterHours or CallOutcome.NoAgent;
}
