namespace Telephony.Pbx.Queues;

/// <summary>Scheduler-private state of one caller. Only <see cref="QueueScheduler"/> touches it.</summary>
internal sealed class QueueCall(string interactionId, long sequence)
{
    public string InteractionId { get; } = interactionId;
    /// <summary>Arrival order, the last tie-breaker.</summary>
    public long Sequence { get; } = sequence;
    public required QueueRuntime Queue { get; set; }
    public CallState State { get; set; } = CallState.Waiting;
    public int BasePriority { get; init; }
    /// <summary>A caller on the line, or a callback (no max wait, no announcements, <see cref="NotBefore"/>).</summary>
    public QueueEntryKind Kind { get; init; } = QueueEntryKind.Caller;
    /// <summary>Callbacks: not dispatched before this instant (retry delay, opening hours); null = due now.</summary>
    public DateTimeOffset? NotBefore { get; set; }
    /// <summary>Callbacks: withdrawn as expired when still waiting at this instant; null = no deadline.</summary>
    public DateTimeOffset? Deadline { get; set; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
    /// <summary>When the caller entered the first queue; kept across overflow hops (ordering and aging).</summary>
    public DateTimeOffset ArrivedAt { get; init; }
    /// <summary>When the caller entered the current queue (max wait and announcements).</summary>
    public DateTimeOffset EnteredQueueAt { get; set; }
    public DateTimeOffset LastAnnounceAt { get; set; }
    public List<RingLeg> Legs { get; } = [];
    public DateTimeOffset? RingDeadline { get; set; }
    /// <summary>Max wait passed while agents were ringing: overflow when the ring round ends unanswered.</summary>
    public bool OverflowDue { get; set; }
    public int Hops { get; set; }
    /// <summary>The caller's own max wait (<see cref="Commands.CallArrived.MaxWait"/>), else null: the queue's.</summary>
    public TimeSpan? OwnMaxWait { get; init; }
    /// <summary>The max wait that applies in the current queue (zero: none).</summary>
    public TimeSpan MaxWait => OwnMaxWait ?? Queue.Config.MaxWait;
    public QueueAgent? Agent { get; set; }
    public DateTimeOffset ConnectedAt { get; set; }
    /// <summary>Back in line after its agent was lost (<see cref="Commands.AgentLost"/>): served before every other caller
    /// until an agent answers it again.</summary>
    public bool AtHead { get; set; }
    /// <summary>The agent set a disposition during the call (<see cref="Commands.DispositionSet"/>).</summary>
    public bool Dispositioned { get; set; }
}
