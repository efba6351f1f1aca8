namespace Telephony.Pbx.Queues.Commands;

/// <summary>An agent logs in (feature code, HTTP API, or phone registration when <c>loginOnRegister</c> is set).
/// The agent serves every queue that lists them as a member.</summary>
public sealed record AgentLoggedIn(string Agent) : QueueCommand;
