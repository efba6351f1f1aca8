namespace Telephony.Pbx.Queues.Configuration;

/// <summary>An agent (extension) serving a queue. Lower penalty = higher skill: agents with a higher penalty are only
/// rung when no eligible agent with a lower penalty is available.</summary>
public sealed record QueueMemberConfig(string Agent, int Penalty = 0);
