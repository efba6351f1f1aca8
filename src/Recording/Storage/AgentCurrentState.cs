using Telephony.Recording.Statistics;

namespace Telephony.Recording.Storage;

/// <summary>The state an agent is in now, per the agent state history: since when, and the pause reason.</summary>
public sealed record AgentCurrentState(string Agent, AgentActivity State, string? Reason, DateTimeOffset Since);
