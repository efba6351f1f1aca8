namespace Telephony.Recording.Statistics;

/// <summary>One queue's counters, one per interval, and its thresholds in ticks.</summary>
internal sealed class QueueAccumulator(string name, QueueThresholds thresholds, int intervals)
{
    public string Name { get; } = name;

    public QueueThresholds Thresholds { get; } = thresholds;

    public long ServiceLevelTicks { get; } = TimeSpan.TicksPerSecond * Math.Max(0, thresholds.ServiceLevelSeconds);

    /// <summary>0 when short abandons are disabled.</summary>
    public long ShortAbandonTicks { get; } = TimeSpan.TicksPerSecond * Math.Max(0, thresholds.ShortAbandonSeconds);

    public QueueCounters[] Intervals { get; } = new QueueCounters[intervals];
}
