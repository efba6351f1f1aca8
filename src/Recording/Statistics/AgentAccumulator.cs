namespace Telephony.Recording.Statistics;

/// <summary>One agent's counters, one per interval, and pause time per reason per interval.</summary>
internal sealed class AgentAccumulator(string name, int intervals)
{
    private string? _lastReason;
    private long[]? _lastReasonTicks;

    public string Name { get; } = name;

    public AgentCounters[] Intervals { get; } = new AgentCounters[intervals];

    /// <summary>Reason → paused ticks per interval; an array is allocated the first time a reason is seen.</summary>
    public Dictionary<string, long[]> PausedByReason { get; } = new(StringComparer.Ordinal);

    public long[] PausedTicksFor(string reason)
    {
        if (_lastReasonTicks is not null && string.Equals(_lastReason, reason, StringComparison.Ordinal))
        {
            return _lastReasonTicks;
        }

        if (!PausedByReason.TryGetValue(reason, out long[]? ticks))
        {
            ticks = new long[Intervals.Length];
            PausedByReason.Add(reason, ticks);
        }

        _lastReason = reason;
        _lastReasonTicks = ticks;
        return ticks;
    }
}
