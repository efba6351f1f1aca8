namespace Telephony.Recording.Statistics.Staffing;

/// <summary>The input of <see cref="StaffingCalculator"/> (docs/metrics.md, "Staffing"): forecast calls in one
/// interval, their AHT, the service-level goal, the occupancy cap and the shrinkage.</summary>
public sealed record StaffingRequest
{
    /// <summary>Calls offered in the interval (≥ 0, may be fractional: a forecast).</summary>
    public required double CallsPerInterval { get; init; }

    /// <summary>Average handle time (talk + hold + wrap-up), &gt; 0.</summary>
    public required double AhtSeconds { get; init; }

    /// <summary>Interval length, &gt; 0; 1800 (30 min) by default.</summary>
    public double IntervalSeconds { get; init; } = 1800;

    /// <summary>Share of calls to answer within <see cref="ServiceLevelSeconds"/>, in (0, 1); 0.8 by default.</summary>
    public double ServiceLevelTarget { get; init; } = 0.8;

    /// <summary>Service-level threshold, ≥ 0; 20 by default.</summary>
    public double ServiceLevelSeconds { get; init; } = 20;

    /// <summary>Highest acceptable occupancy A/N, in (0, 1]; 1 (no cap) by default.</summary>
    public double MaxOccupancy { get; init; } = 1;

    /// <summary>Share of paid time agents are not on the phones (breaks, training, absence), in [0, 1); 0 by
    /// default.</summary>
    public double Shrinkage { get; init; }
}
