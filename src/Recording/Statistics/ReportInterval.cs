namespace Telephony.Recording.Statistics;

/// <summary>One interval of a report, [<see cref="Start"/>, <see cref="End"/>), both expressed in the business time
/// zone's offset at that instant (so the two 02:00 intervals of a fall-back night read <c>02:00+02:00</c> and
/// <c>02:00+01:00</c>). The first and last interval are shorter when the report range is not aligned.</summary>
public sealed record ReportInterval(int Index, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Real (elapsed) length: 3600 for a 60 m interval, 82800 or 90000 for the day of a DST change.</summary>
    public double LengthSeconds => (End - Start).TotalSeconds;
}
