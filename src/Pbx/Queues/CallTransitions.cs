namespace Telephony.Pbx.Queues;

/// <summary>The explicit transition table for <see cref="CallState"/>. The scheduler refuses (throws
/// <see cref="QueueInvariantException"/> on) any move not listed; the README reproduces this table.</summary>
public static class CallTransitions
{
    public static IReadOnlyList<Transition<CallState>> Table { get; } =
    [
        new(CallState.Waiting, CallState.Offering, "dispatch picked agent(s)"),
        new(CallState.Waiting, CallState.Waiting, "overflow to another queue; caller chose a callback; callback deferred"),
        new(CallState.Waiting, CallState.Abandoned, "CallerHungUp"),
        new(CallState.Waiting, CallState.Overflowed, "max wait, overflow transfer/hangup"),
        new(CallState.Offering, CallState.Waiting, "ring timeout / every leg failed / ringing agent paused or logged out / callback chosen or deferred"),
        new(CallState.Offering, CallState.Connected, "AgentRingResult Answered"),
        new(CallState.Offering, CallState.Abandoned, "CallerHungUp (every leg cancelled)"),
        new(CallState.Connected, CallState.Done, "AgentCallEnded or CallerHungUp"),
        new(CallState.Connected, CallState.Waiting, "callback: customer not reached, retry later (agent released); AgentLost: back at the head of the queue"),
        new(CallState.Waiting, CallState.Withdrawn, "callback cancelled or expired"),
        new(CallState.Offering, CallState.Withdrawn, "callback cancelled while its agent rang (leg cancelled)"),
        new(CallState.Connected, CallState.Withdrawn, "callback: last attempt failed or cancelled (agent released)"),
    ];

    private static readonly HashSet<(CallState, CallState)> Allowed = [.. Table.Select(t => (t.From, t.To))];

    public static bool IsAllowed(CallState from, CallState to) => Allowed.Contains((from, to));

    public static bool IsTerminal(CallState state) =>
        state is CallState.Abandoned or CallState.Overflowed or CallState.Done or CallState.Withdrawn;
}
