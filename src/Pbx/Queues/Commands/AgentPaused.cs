namespace Telephony.Pbx.Queues.Commands;

/// <summary>An agent pauses (break, lunch...). A ringing offer is cancelled; an agent on a call pauses after the call
/// and its wrap-up. Pausing again only changes the reason.</summary>
public sealed record AgentPaused(string Agent, string Reason) : QueueCommand;
