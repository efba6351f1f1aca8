namespace Telephony.Recording.Statistics;

/// <summary>
/// What <see cref="StatisticsAccumulator.Build"/> produces: per queue × interval and per agent × interval rows (queue
/// or agent in ordinal name order, then interval order; every interval is present, empty ones with zeros and null
/// ratios), one whole-range total per queue and per agent (interval index -1), and how many input rows were left out.
/// </summary>
public sealed record StatisticsReport
{
    public required IReadOnlyList<ReportInterval> Intervals { get; init; }

    public required IReadOnlyList<QueueIntervalStats> Queues { get; init; }

    public required IReadOnlyList<QueueIntervalStats> QueueTotals { get; init; }

    public required IReadOnlyList<AgentIntervalStats> Agents { get; init; }

    public required IReadOnlyList<AgentIntervalStats> AgentTotals { get; init; }

    /// <summary>Call facts not counted because they entered the queue outside the range.</summary>
    public long CallsOutsideRange { get; init; }

    /// <summary>Call facts not counted because they were unusable: no queue, or an outcome that needs a time
    /// (answered, abandoned, overflowed, callback requested) without one.</summary>
    public long CallsRejected { get; init; }

    /// <summary>Agent spans not counted: no agent, or ending before they start.</summary>
    public long SpansRejected { get; init; }
}
