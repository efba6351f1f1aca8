namespace Telephony.Recording.Statistics;

/// <summary>Text forms of <see cref="IntervalLength"/> (<c>15m|30m|60m|day</c>, the <c>interval</c> query
/// parameter).</summary>
public static class IntervalLengths
{
    /// <summary>Parses <c>15m</c>, <c>30m</c>, <c>60m</c> (or <c>1h</c>) and <c>day</c>, case-insensitive.</summary>
    public static bool TryParse(string? text, out IntervalLength length)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "15M":
                length = IntervalLength.Minutes15;
                return true;
            case "30M":
                length = IntervalLength.Minutes30;
                return true;
            case "60M" or "1H":
                length = IntervalLength.Minutes60;
                return true;
            case "DAY" or "1D":
                length = IntervalLength.Day;
                return true;
            default:
                length = default;
                return false;
        }
    }

    /// <summary>The canonical text form: <c>15m</c>, <c>30m</c>, <c>60m</c>, <c>day</c>.</summary>
    public static string ToText(IntervalLength length) => length switch
    {
        IntervalLength.Minutes15 => "15m",
        IntervalLength.Minutes30 => "30m",
        IntervalLength.Minutes60 => "60m",
        IntervalLength.Day => "day",
        _ => throw new ArgumentOutOfRangeException(nameof(length), length, "unknown interval length"),
    };

    /// <summary>Wall-clock minutes of a sub-day interval (15, 30, 60); 1440 for <see cref="IntervalLength.Day"/>,
    /// whose real length is 23, 24 or 25 hours.</summary>
    public static int WallClockMinutes(IntervalLength length) => length switch
    {
        IntervalLength.Minutes15 => 15,
        IntervalLength.Minutes30 => 30,
        IntervalLength.Minutes60 => 60,
        IntervalLength.Day => 1440,
        _ => throw new ArgumentOutOfRangeException(nameof(length), length, "unknown interval length"),
    };
}
