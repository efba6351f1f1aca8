using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Telephony.Recording.Statistics;

namespace Telephony.Host.Statistics;

/// <summary>
/// Reads <c>from</c>, <c>to</c>, <c>interval</c>, <c>queue</c> and <c>agent</c> of a statistics request. A time is
/// ISO 8601 with an offset (<c>2026-11-24T10:00:00+01:00</c>, <c>…Z</c>: that instant), without one
/// (<c>2026-11-24T10:00</c>: that wall-clock time in the business zone) or a date (<c>2026-11-24</c>: its local
/// midnight). Defaults: <c>from</c> = the start of today in the business zone, <c>to</c> = the end of the business
/// day holding <c>from</c>, <c>interval</c> = <c>60m</c>. Every refusal says which parameter and why.
/// </summary>
public static partial class StatisticsQueryParser
{
    private static readonly string[] LocalFormats =
        ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>Parses the parameters (<paramref name="get"/> returns a parameter's value or null).</summary>
    public static bool TryParse(Func<string, string?> get, TimeZoneInfo zone, DateTimeOffset now,
        [NotNullWhen(true)] out StatisticsQuery? query, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(zone);
        query = null;
        DateTimeOffset from = IntervalGrid.DayContaining(zone, now).From;
        if (get("from") is { Length: > 0 } f && !TryParseTime(f, zone, out from))
        {
            error = $"from: '{f}' is not a time (ISO 8601, e.g. 2026-11-24, 2026-11-24T10:00 or 2026-11-24T10:00:00+01:00)";
            return false;
        }

        DateTimeOffset to = IntervalGrid.DayContaining(zone, from).To;
        if (get("to") is { Length: > 0 } t && !TryParseTime(t, zone, out to))
        {
            error = $"to: '{t}' is not a time (ISO 8601, e.g. 2026-11-25, 2026-11-24T18:00 or 2026-11-24T18:00:00+01:00)";
            return false;
        }

        if (from >= to)
        {
            error = "from must be before to";
            return false;
        }

        var interval = IntervalLength.Minutes60;
        if (get("interval") is { Length: > 0 } i && !IntervalLengths.TryParse(i, out interval))
        {
            error = $"interval: '{i}' is not one of 15m, 30m, 60m, day";
            return false;
        }

        query = new StatisticsQuery(from, to, interval, Blank(get("queue")), Blank(get("agent")));
        error = null;
        return true;
    }

    /// <summary>An instant from ISO 8601 text; without an offset the text is a wall-clock time of
    /// <paramref name="zone"/> (a time skipped by a spring-forward change counts from the change, a repeated one is its
    /// first occurrence).</summary>
    public static bool TryParseTime(string text, TimeZoneInfo zone, out DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        text = text.Trim();
        if (HasOffset().IsMatch(text))
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
        }

        if (!DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
        {
            instant = default;
            return false;
        }

        instant = FromLocal(zone, DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
        return true;
    }

    private static DateTimeOffset FromLocal(TimeZoneInfo zone, DateTime local)
    {
        if (zone.IsAmbiguousTime(local))
        {
            return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max());
        }

        if (zone.IsInvalidTime(local))
        {
            // Skipped by a spring-forward: read with the offset before the change, i.e. counted from the change.
            return new DateTimeOffset(local, zone.GetUtcOffset(local.AddHours(-6)));
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"(Z|z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex HasOffset();
}
