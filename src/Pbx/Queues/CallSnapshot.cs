namespace Telephony.Pbx.Queues;

/// <summary>A read-only view of one caller, for the HTTP API and tests. <paramref name="Position"/> is 1-based among
/// waiting and offering callers of the queue, 0 once connected. <paramref name="Kind"/> tells callers from callbacks;
/// <paramref name="NotBefore"/> is a callback's earliest dispatch time (null: due).</summary>
public sealed record CallSnapshot(
    string InteractionId,
    string Queue,
    CallState State,
    int BasePriority,
    int EffectivePriority,
    TimeSpan WaitedInQueue,
    int Position,
    string? Agent,
    IReadOnlyList<string> RingingAgents,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Data,
    QueueEntryKind Kind = QueueEntryKind.Caller,
    DateTimeOffset? NotBefore = null);
