namespace Telephony.Recording.Statistics;

/// <summary>
/// The queue visits of one queue that entered it within one bucket (a 15-minute UTC slice), already summed by the rules
/// of <see cref="StatisticsAccumulator.AddCall"/> (docs/metrics.md): what the <c>queue_visit_rollup</c> table keeps, so
/// a long report adds one of these per queue and bucket instead of every visit. The threshold counts
/// (<see cref="AnsweredWithinThreshold"/>, <see cref="ShortAbandoned"/>, <see cref="AbandonedWithinThreshold"/>) were
/// made with <see cref="Thresholds"/>.
/// </summary>
public readonly record struct QueueVisitTotals
{
    public required string Queue { get; init; }

    /// <summary>Start of the bucket (its visits entered the queue in [start, start + bucket length)).</summary>
    public required DateTimeOffset BucketStart { get; init; }

    public required QueueThresholds Thresholds { get; init; }

    public int Offered { get; init; }

    public int Waiting { get; init; }

    public int Answered { get; init; }

    public TimeSpan AnsweredWait { get; init; }

    public int AnsweredWithinThreshold { get; init; }

    public int HandledCount { get; init; }

    public TimeSpan HandleTime { get; init; }

    public int Abandoned { get; init; }

    public int ShortAbandoned { get; init; }

    public int AbandonedWithinThreshold { get; init; }

    public int Overflowed { get; init; }

    public int CallbacksRequested { get; init; }

    public int Other { get; init; }

    public int WaitCount { get; init; }

    public TimeSpan Wait { get; init; }

    public TimeSpan LongestWait { get; init; }

    /// <summary>Unusable visits (no queue name, an outcome without its time): counted in <see
    /// cref="StatisticsReport.CallsRejected"/> only.</summary>
    public int Rejected { get; init; }
}
