namespace Telephony.Host.Cluster;

/// <summary>An agent command sent over the cluster bus (<see cref="BusAgentCommands"/>): <paramref name="Action"/> is
/// <c>login</c>, <c>logout</c>, <c>pause</c> (with <paramref name="Reason"/>) or <c>resume</c>, as in
/// <c>POST /api/agents/{ext}/{action}</c>.</summary>
public sealed record BusAgentCommand(string Agent, string Action, string? Reason = null);
