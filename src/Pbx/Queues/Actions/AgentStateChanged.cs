namespace Telephony.Pbx.Queues.Actions;

/// <summary>Event: an agent changed state (for the API, busy lamps and statistics). <paramref name="At"/> is the
/// scheduler's time of the change: the instant of the command, or the deadline of the timer that caused it (the end
/// of a wrap-up, a ring timeout), so a state history built from these events is exact even when the loop runs
/// late.</summary>
public sealed record AgentStateChanged(string Agent, AgentState From, AgentState To, string? PauseReason, DateTimeOffset At)
    : QueueAction;
