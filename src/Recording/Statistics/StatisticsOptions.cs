using System.Collections.ObjectModel;

namespace Telephony.Recording.Statistics;

/// <summary>What a <see cref="StatisticsAccumulator"/> reports: the range, its intervals, "now", and the queue
/// thresholds (docs/metrics.md).</summary>
public sealed record StatisticsOptions
{
    /// <summary>Business time zone (IANA id through <see cref="TimeZoneInfo.FindSystemTimeZoneById"/>): intervals
    /// follow its wall clock.</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    public required IntervalLength Interval { get; init; }

    /// <summary>Start of the range: calls entered from here are counted.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the range (exclusive): calls entered from here on are not counted.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The current time: open agent spans are cut here, and no agent time after it is counted.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Thresholds of queues not listed in <see cref="Queues"/>.</summary>
    public QueueThresholds DefaultThresholds { get; init; } = QueueThresholds.Default;

    /// <summary>Queues reported even without calls (every interval, zeros), with their thresholds; facts of other
    /// queues are reported too, with <see cref="DefaultThresholds"/>.</summary>
    public IReadOnlyDictionary<string, QueueThresholds> Queues { get; init; } = ReadOnlyDictionary<string, QueueThresholds>.Empty;

    /// <summary>Agents reported even without spans or calls; agents seen in the input are reported too.</summary>
    public IReadOnlyCollection<string> Agents { get; init; } = [];
}
