namespace Telephony.Pbx.Queues.Commands;

/// <summary>An agent logs out. A ringing offer is cancelled; an agent on a call is logged out when the call ends.</summary>
public sealed record AgentLoggedOut(string Agent) : QueueCommand;
