namespace Telephony.Pbx.Calls;

/// <summary>Rules over <see cref="ApplicationOutcome"/>.</summary>
public static class ApplicationOutcomes
{
    /// <summary>
    /// The outcome after <paramref name="proposed"/> is reported on a call standing at <paramref name="current"/>
    /// (null: not answered yet). A caller who reached a person stays <see cref="ApplicationOutcome.Answered"/> whatever
    /// follows (a transfer back into a queue, the IVR hanging up); everything else takes the latest report. With
    /// <paramref name="onlyFrom"/> the report applies only while the call stands there (the IVR naming how it ended
    /// without overriding what a queue already said).
    /// </summary>
    public static ApplicationOutcome? Advance(ApplicationOutcome? current, ApplicationOutcome proposed, ApplicationOutcome? onlyFrom = null)
    {
        if (current == ApplicationOutcome.Answered)
        {
            return current;
        }
        if (onlyFrom is { } required && current != required)
        {
            return current;
        }
        return proposed;
    }

    /// <summary>The wait-and-ring outcome of a queue that overflows: <see cref="ApplicationOutcome.NoAgent"/> when no
    /// agent of the queue was logged in, otherwise <see cref="ApplicationOutcome.Overflowed"/>.</summary>
    public static ApplicationOutcome OfOverflow(bool anyAgentLoggedIn) =>
        anyAgentLoggedIn ? ApplicationOutcome.Overflowed : ApplicationOutcome.NoAgent;
}
