namespace Telephony.Pbx.Media;

/// <summary>Snapshot of media engine counters across all loops.</summary>
public sealed record MediaEngineStats(
    int Sessions,
    long PacketsIn,
    long PacketsOut,
    IReadOnlyDictionary<MediaDropReason, long> Dropped,
    long TickOverruns,
    TimeSpan MaxTickDuration,
    TimeSpan AverageTickDuration,
    IReadOnlyList<int> SessionsPerLoop,
    long SessionErrors,
    long Ticks);
