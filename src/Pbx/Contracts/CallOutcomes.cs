namespace Telephony.Pbx.Contracts;

/// <summary>Rules over <see cref="CallOutcome"/>, shared by the call layer (which names outcomes as a call goes) and the
/// call records (which store them and raise missed-call alerts).</summary>
public static class CallOutcomes
{
    /// <summary>
    /// True when the caller never reached a person and should get a missed-call alert for a callback:
    /// abandoned while ringing, in IVR or in queue, overflowed to goodbye, after hours, no agent. Not for
    /// <see cref="CallOutcome.CompletedInIvr"/> (the caller got what the IVR had to say), answered, failed or interrupted.
    /// </summary>
    public static bool IsMissed(CallOutcome outcome) => outcome is CallOutcome.Abandoned or CallOutcome.AbandonedInIvr
        or CallOutcome.AbandonedInQueue or CallOutcome.Overflowed or CallOutcome.AfterHours or CallOutcome.NoAgent;

    /// <summary>
    /// The outcome after <paramref name="proposed"/> is reported on a call standing at <paramref name="current"/>
    /// (null: not answered yet). A caller who reached a person stays <see cref="CallOutcome.Answered"/> whatever
    /// follows (a transfer back into a queue, the IVR hanging up); everything else takes the latest report. With
    /// <paramref name="onlyFrom"/> the report applies only while the call stands there (the IVR naming how it ended
    /// without overriding what a queue already said).
    /// </summary>
    public static CallOutcome? Advance(CallOutcome? current, CallOutcome proposed, CallOutcome? onlyFrom = null)
    {
        if (current == CallOutcome.Answered)
        {
            return current;
        }
        if (onlyFrom is { } required && current != required)
        {
            return current;
        }
        return proposed;
    }

    /// <summary>The wait-and-ring outcome of a queue that overflows: <see cref="CallOutcome.NoAgent"/> when no
    /// agent of the queue was logged in, otherwise <see cref="CallOutcome.Overflowed"/>.</summary>
    public static CallOutcome OfOverflow(bool anyAgentLoggedIn) =>
        anyAgentLoggedIn ? CallOutcome.Overflowed : CallOutcome.NoAgent;
}
