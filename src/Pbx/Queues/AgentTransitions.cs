namespace Telephony.Pbx.Queues;

/// <summary>The explicit transition table for <see cref="AgentState"/>. The scheduler refuses (throws
/// <see cref="QueueInvariantException"/> on) any move not listed; the README reproduces this table.</summary>
public static class AgentTransitions
{
    public static IReadOnlyList<Transition<AgentState>> Table { get; } =
    [
        new(AgentState.LoggedOut, AgentState.Available, "AgentLoggedIn"),
        new(AgentState.Available, AgentState.Ringing, "offered a call"),
        new(AgentState.Available, AgentState.Paused, "AgentPaused"),
        new(AgentState.Available, AgentState.LoggedOut, "AgentLoggedOut"),
        new(AgentState.Ringing, AgentState.OnCall, "AgentRingResult Answered"),
        new(AgentState.Ringing, AgentState.Available, "no answer / busy / rejected / timeout / caller hung up / answered elsewhere"),
        new(AgentState.Ringing, AgentState.Paused, "AgentPaused (offer cancelled)"),
        new(AgentState.Ringing, AgentState.LoggedOut, "AgentLoggedOut (offer cancelled)"),
        new(AgentState.OnCall, AgentState.WrapUp, "call ended, wrap-up > 0 or a disposition required"),
        new(AgentState.OnCall, AgentState.Available, "call ended, no wrap-up"),
        new(AgentState.OnCall, AgentState.Paused, "call ended, no wrap-up, pause pending"),
        new(AgentState.OnCall, AgentState.LoggedOut, "call ended, logout pending"),
        new(AgentState.WrapUp, AgentState.Available, "wrap-up elapsed (and the required disposition set)"),
        new(AgentState.WrapUp, AgentState.Paused, "AgentPaused, or wrap-up elapsed with pause pending"),
        new(AgentState.WrapUp, AgentState.LoggedOut, "AgentLoggedOut"),
        new(AgentState.Paused, AgentState.Available, "AgentResumed"),
        new(AgentState.Paused, AgentState.LoggedOut, "AgentLoggedOut"),
    ];

    private static readonly HashSet<(AgentState, AgentState)> Allowed = [.. Table.Select(t => (t.From, t.To))];

    public static bool IsAllowed(AgentState from, AgentState to) => Allowed.Contains((from, to));
}
