namespace Telephony.Pbx.Queues;

/// <summary>A read-only view of one agent, for the HTTP API and tests.</summary>
public sealed record AgentSnapshot(
    string Agent,
    AgentState State,
    string? PauseReason,
    string? InteractionId,
    IReadOnlyList<string> Queues,
    DateTimeOffset? SkippedUntil,
    bool LogoutPending,
    string? PendingPauseReason,
    bool DispositionPending = false);
