namespace Telephony.Recording.Statistics.Staffing;

/// <summary>Why a <see cref="StaffingRequest"/> cannot be computed (<see cref="StaffingError"/>).</summary>
public enum StaffingErrorCode
{
    /// <summary>Calls per interval not a finite number ≥ 0.</summary>
    InvalidCalls,

    /// <summary>AHT not a finite number of seconds &gt; 0.</summary>
    InvalidAht,

    /// <summary>Interval not a finite number of seconds &gt; 0.</summary>
    InvalidInterval,

    /// <summary>Service-level target not in (0, 1).</summary>
    InvalidServiceLevelTarget,

    /// <summary>Service-level threshold not a finite number of seconds ≥ 0.</summary>
    InvalidServiceLevelSeconds,

    /// <summary>Max occupancy not in (0, 1].</summary>
    InvalidMaxOccupancy,

    /// <summary>Shrinkage not in [0, 1).</summary>
    InvalidShrinkage,

    /// <summary>Traffic above <see cref="StaffingCalculator.MaxTrafficErlangs"/>.</summary>
    TrafficTooLarge,

    /// <summary>The answer (agents on the phones or scheduled) would exceed <see
    /// cref="StaffingCalculator.MaxAgents"/>.</summary>
    TooManyAgents,

    /// <summary>A number of agents to evaluate below 0 or above <see cref="StaffingCalculator.MaxAgents"/>.</summary>
    InvalidAgents,
}
