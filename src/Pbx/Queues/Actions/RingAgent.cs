namespace Telephony.Pbx.Queues.Actions;

/// <summary>Call layer: send an INVITE to <paramref name="Agent"/> for the caller <paramref name="InteractionId"/>,
/// with <paramref name="Tags"/>/<paramref name="Data"/> in headers; report back with <c>AgentRingResult(OfferId, ...)</c>.
/// The scheduler enforces <paramref name="RingTimeout"/> itself (it emits <see cref="CancelRing"/>). For a
/// <see cref="QueueEntryKind.Callback"/> <paramref name="InteractionId"/> is the callback id: the call layer rings the
/// agent first and calls the customer once the agent answered (<see cref="BridgeCallToAgent"/>).</summary>
public sealed record RingAgent(
    long OfferId,
    string InteractionId,
    string Agent,
    string Queue,
    int BasePriority,
    TimeSpan RingTimeout,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Data,
    QueueEntryKind Kind = QueueEntryKind.Caller) : QueueAction;
