namespace Telephony.Pbx.Queues.Commands;

/// <summary>A paused agent becomes available again (or a pause requested during a call is withdrawn).</summary>
public sealed record AgentResumed(string Agent) : QueueCommand;
