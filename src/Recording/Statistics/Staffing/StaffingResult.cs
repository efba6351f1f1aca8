namespace Telephony.Recording.Statistics.Staffing;

/// <summary>What <see cref="StaffingCalculator"/> predicts for <see cref="Agents"/> agents on the phones (docs/
/// metrics.md, "Staffing").</summary>
public sealed record StaffingResult
{
    /// <summary>A = calls × AHT ÷ interval.</summary>
    public required double TrafficErlangs { get; init; }

    /// <summary>Agents on the phones (N).</summary>
    public required int Agents { get; init; }

    /// <summary>Head count to schedule: ceil(N ÷ (1 − shrinkage)).</summary>
    public required int ScheduledAgents { get; init; }

    /// <summary>Erlang C: probability that a call waits.</summary>
    public required double ProbabilityOfWaiting { get; init; }

    /// <summary>Predicted share of calls answered within the threshold.</summary>
    public required double ServiceLevel { get; init; }

    /// <summary>Predicted mean wait of all calls; null when N ≤ A (unbounded).</summary>
    public required double? AsaSeconds { get; init; }

    /// <summary>A ÷ N, at most 1; null when N = 0.</summary>
    public required double? Occupancy { get; init; }

    /// <summary>True when the service level reaches the target and the occupancy stays within the cap.</summary>
    public required bool MeetsTarget { get; init; }
}
