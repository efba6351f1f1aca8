namespace Telephony.Recording.Storage;

/// <summary>
/// What one queue visit adds to its row of <c>queue_visit_rollup</c> (per queue and 15-minute UTC bucket of
/// <c>entered_at</c>), by the rules of <c>StatisticsAccumulator.AddCall</c> (docs/metrics.md §7), and to
/// <c>agent_handled_rollup</c> (<see cref="HandledBy"/>). The one definition of the rollup: the rollup is kept by adding
/// the contribution of a visit's new row and subtracting its old one, in the transaction of the change.
/// </summary>
internal readonly record struct QueueVisitContribution
{
    public const long DefaultServiceLevelMs = 20_000;
    public const long DefaultShortAbandonMs = 5_000;

    public long Bucket { get; init; }

    public string Queue { get; init; }

    public long Offered { get; init; }

    public long Waiting { get; init; }

    public long Answered { get; init; }

    public long AnsweredWaitMs { get; init; }

    public long AnsweredWithin { get; init; }

    public long HandledCount { get; init; }

    public long HandleMs { get; init; }

    public long Abandoned { get; init; }

    public long ShortAbandoned { get; init; }

    public long AbandonedWithin { get; init; }

    public long Overflowed { get; init; }

    public long CallbacksRequested { get; init; }

    public long CallbacksCompleted { get; init; }

    public long Other { get; init; }

    public long WaitCount { get; init; }

    public long WaitMs { get; init; }

    /// <summary>The visit's wait when it counts towards the longest wait (a usable visit with an outcome and its time).</summary>
    public long? LongestWaitMs { get; init; }

    public long Rejected { get; init; }

    /// <summary>The agent whose <c>handled</c> this visit counts (a usable answered visit with an agent), or null.</summary>
    public string? HandledBy { get; init; }

    /// <summary>Offered + rejected: how many visits the row holds (0: the row goes).</summary>
    public long Visits => Offered + Rejected;

    /// <summary>The 15-minute UTC bucket of <paramref name="enteredAtMs"/> (Unix ms of its start), as schema 8 made it.</summary>
    public static long BucketOf(long enteredAtMs) => enteredAtMs / AgentStateStore.BucketMs * AgentStateStore.BucketMs;

    /// <summary>The contribution of <paramref name="visit"/> counted with the thresholds (ms) of its queue.</summary>
    public static QueueVisitContribution Of(QueueVisitRow visit, long serviceLevelMs, long shortAbandonMs)
    {
        ArgumentNullException.ThrowIfNull(visit);
        int o = visit.Outcome switch
        {
            "Answered" => 1,
            "Abandoned" => 2,
            "Overflowed" => 3,
            "CallbackRequested" => 4,
            "Other" => 5,
            _ => 0,
        };
        long? w = visit.OutcomeAt is { } at ? Math.Max(0, at - visit.EnteredAt) : null;
        long? h = visit.TalkMs is { } talk && visit.WrapUpMs is { } wrap
            ? Math.Max(0, talk) + Math.Max(0, visit.HoldMs) + Math.Max(0, wrap)
            : null;
        bool ok = visit.Queue.Length > 0 && !(o is >= 1 and <= 4 && w is null);
        var key = new QueueVisitContribution { Bucket = BucketOf(visit.EnteredAt), Queue = visit.Queue };
        if (!ok)
        {
            return key with { Rejected = 1 };
        }

        long wait = w ?? 0;
        return key with
        {
            Offered = 1,
            Waiting = o == 0 ? 1 : 0,
            Answered = o == 1 ? 1 : 0,
            AnsweredWaitMs = o == 1 ? wait : 0,
            AnsweredWithin = o == 1 && wait <= serviceLevelMs ? 1 : 0,
            HandledCount = o == 1 && h is not null ? 1 : 0,
            HandleMs = o == 1 ? h ?? 0 : 0,
            Abandoned = o == 2 ? 1 : 0,
            ShortAbandoned = o == 2 && shortAbandonMs > 0 && wait <= shortAbandonMs ? 1 : 0,
            AbandonedWithin = o == 2 && wait <= serviceLevelMs ? 1 : 0,
            Overflowed = o == 3 ? 1 : 0,
            CallbacksRequested = o == 4 ? 1 : 0,
            CallbacksCompleted = o == 4 && visit.CallbackCompletedAt is not null ? 1 : 0,
            Other = o == 5 ? 1 : 0,
            WaitCount = o > 0 && w is not null ? 1 : 0,
            WaitMs = o > 0 ? wait : 0,
            LongestWaitMs = o > 0 ? w : null,
            HandledBy = o == 1 && !string.IsNullOrEmpty(visit.Agent) ? visit.Agent : null,
        };
    }

    /// <summary>This minus <paramref name="other"/>, field by field (same key); the longest wait is this one's.</summary>
    public QueueVisitContribution Minus(QueueVisitContribution other) => Plus(other, -1);

    /// <summary>This plus <paramref name="other"/>, field by field (same key); the longest wait is the larger.</summary>
    public QueueVisitContribution Plus(QueueVisitContribution other) => Plus(other, 1) with
    {
        LongestWaitMs = LongestWaitMs is { } a && other.LongestWaitMs is { } b ? Math.Max(a, b) : LongestWaitMs ?? other.LongestWaitMs,
    };

    /// <summary>Whether every count and sum is zero (the longest wait aside).</summary>
    public bool IsZero =>
        Offered == 0 && Waiting == 0 && Answered == 0 && AnsweredWaitMs == 0 && AnsweredWithin == 0 && HandledCount == 0 &&
        HandleMs == 0 && Abandoned == 0 && ShortAbandoned == 0 && AbandonedWithin == 0 && Overflowed == 0 &&
        CallbacksRequested == 0 && CallbacksCompleted == 0 && Other == 0 && WaitCount == 0 && WaitMs == 0 && Rejected == 0;

    private QueueVisitContribution Plus(QueueVisitContribution o, int sign) => this with
    {
        Offered = Offered + (sign * o.Offered),
        Waiting = Waiting + (sign * o.Waiting),
        Answered = Answered + (sign * o.Answered),
        AnsweredWaitMs = AnsweredWaitMs + (sign * o.AnsweredWaitMs),
        AnsweredWithin = AnsweredWithin + (sign * o.AnsweredWithin),
        HandledCount = HandledCount + (sign * o.HandledCount),
        HandleMs = HandleMs + (sign * o.HandleMs),
        Abandoned = Abandoned + (sign * o.Abandoned),
        ShortAbandoned = ShortAbandoned + (sign * o.ShortAbandoned),
        AbandonedWithin = AbandonedWithin + (sign * o.AbandonedWithin),
        Overflowed = Overflowed + (sign * o.Overflowed),
        CallbacksRequested = CallbacksRequested + (sign * o.CallbacksRequested),
        CallbacksCompleted = CallbacksCompleted + (sign * o.CallbacksCompleted),
        Other = Other + (sign * o.Other),
        WaitCount = WaitCount + (sign * o.WaitCount),
        WaitMs = WaitMs + (sign * o.WaitMs),
        Rejected = Rejected + (sign * o.Rejected),
        HandledBy = null,
    };
}
