namespace Telephony.Pbx.Queues.Actions;

/// <summary>Event: an agent changed state (for the API, busy lamps and statistics).</summary>
public sealed record AgentStateChanged(string Agent, AgentState From, AgentState To, string? PauseReason) : QueueAction;
