namespace Telephony.Recording.Statistics;

/// <summary>Length of a report interval, aligned to the wall clock of the business time zone (docs/metrics.md,
/// "Intervals"). Text forms: <c>15m</c>, <c>30m</c>, <c>60m</c>, <c>day</c> (<see cref="IntervalLengths"/>).</summary>
public enum IntervalLength
{
    Minutes15,
    Minutes30,
    Minutes60,
    Day,
}
