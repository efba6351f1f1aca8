namespace Telephony.Recording.Statistics;

/// <summary>
/// The metrics of one agent over one interval (or over the whole range: <see cref="ReportInterval.Index"/> = -1),
/// defined in docs/metrics.md. Times come from the agent's state spans, split at interval boundaries;
/// <see cref="Handled"/> counts answered calls in the interval in which they entered the queue, like every call count.
/// <c>StaffedSeconds = AvailableSeconds + RingingSeconds + TalkSeconds + WrapUpSeconds + PausedSeconds</c>, and
/// <see cref="PausedSeconds"/> is the sum of <see cref="PausedSecondsByReason"/>.
/// </summary>
public sealed record AgentIntervalStats
{
    /// <summary>The reason key of pauses without a reason.</summary>
    public const string UnspecifiedReason = "unspecified";

    public required string Agent { get; init; }

    public required ReportInterval Interval { get; init; }

    /// <summary>Queue calls answered by the agent.</summary>
    public int Handled { get; init; }

    /// <summary>Time on call (talking or holding).</summary>
    public double TalkSeconds { get; init; }

    public double WrapUpSeconds { get; init; }

    public double RingingSeconds { get; init; }

    public double AvailableSeconds { get; init; }

    public double PausedSeconds { get; init; }

    /// <summary>Paused time per reason (only reasons with time in the interval).</summary>
    public required IReadOnlyDictionary<string, double> PausedSecondsByReason { get; init; }

    /// <summary>Time in any state but logged out.</summary>
    public double StaffedSeconds { get; init; }

    /// <summary>(TalkSeconds + WrapUpSeconds) ÷ StaffedSeconds.</summary>
    public double? Occupancy { get; init; }
}
