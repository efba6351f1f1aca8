using Telephony.Recording.Statistics;

namespace Telephony.Host.Statistics;

/// <summary>A validated report request: the range [<see cref="From"/>, <see cref="To"/>), its intervals, and an
/// optional queue or agent filter (<see cref="StatisticsQueryParser"/> builds it from the query string).</summary>
public sealed record StatisticsQuery(DateTimeOffset From, DateTimeOffset To, IntervalLength Interval, string? Queue = null, string? Agent = null);
