namespace Telephony.Pbx.Queues.Configuration;

/// <summary>One queue from <c>config/queues.yaml</c>. Durations of zero disable the feature they control
/// (no max wait, no announcements, no wrap-up, no no-answer skip).</summary>
public sealed record QueueConfig
{
    public required string Name { get; init; }
    public QueueStrategy Strategy { get; init; } = QueueStrategy.LongestIdle;
    public IReadOnlyList<QueueMemberConfig> Members { get; init; } = [];
    /// <summary>How long an agent's phone rings before the next agent is tried. Must be positive.</summary>
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>After-call work: the agent gets no call for this long after hanging up.</summary>
    public TimeSpan WrapUp { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Maximum time in this queue before <see cref="Overflow"/>; zero = wait forever.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(5);
    public OverflowTarget Overflow { get; init; } = OverflowTarget.HangUp;
    /// <summary>Interval between position / estimated-wait announcements; zero = never announce.</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>An agent who did not answer (timeout, busy, rejected) is skipped by every queue for this long.</summary>
    public TimeSpan NoAnswerSkip { get; init; } = TimeSpan.FromSeconds(30);
    public PriorityAging PriorityAging { get; init; } = new(TimeSpan.FromSeconds(60), 5);
    /// <summary>Handle time assumed by the estimated-wait formula until the queue has handled calls.</summary>
    public TimeSpan DefaultHandleTime { get; init; } = TimeSpan.FromMinutes(3);
    /// <summary>How many recent handle times the estimated-wait average uses.</summary>
    public int HandleTimeWindow { get; init; } = 20;
    /// <summary>Statistics: a call answered after a wait of at most this many seconds meets the service level
    /// (docs/metrics.md); 20 by default.</summary>
    public int ServiceLevelSeconds { get; init; } = 20;
    /// <summary>Statistics: an abandon after a wait of at most this many seconds is a short abandon, left out of the
    /// service level and the abandon rate (docs/metrics.md); 5 by default, 0 disables short abandons.</summary>
    public int ShortAbandonSeconds { get; init; } = 5;
    /// <summary>Disposition codes agents of this queue choose from (<c>dispositions:</c>); the keypad code <c>*5N</c>
    /// picks the N-th (1-9).</summary>
    public IReadOnlyList<string> Dispositions { get; init; } = [];
    /// <summary>When true an agent stays in wrap-up (past <see cref="WrapUp"/>) until a disposition is set for the call.</summary>
    public bool DispositionRequired { get; init; }
    /// <summary>The IVR flow (in ivr.yaml) a caller goes through when the agent hangs up first: the post-call survey.</summary>
    public string? Survey { get; init; }
    /// <summary>Prompt id of the hold music played while waiting (the call layer's business), or null for the default.</summary>
    public string? HoldMusic { get; init; }
    /// <summary>The queue takes callbacks (and offers them to waiting callers); null = it does not.</summary>
    public CallbackOptions? Callback { get; init; }
}
