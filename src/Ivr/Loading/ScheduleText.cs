using System.Globalization;
using Telephony.Ivr.Scheduling;
using YamlDotNet.RepresentationModel;

namespace Telephony.Ivr.Loading;

/// <summary>
/// Reads schedule values: <c>mon-fri: "08:00-12:00, 13:00-18:00"</c>, holidays <c>2026-12-24</c> / <c>12-25</c>, IANA zones.
/// </summary>
internal static class ScheduleText
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static TimeZoneInfo? FindTimeZone(string id)
    {
        // Only well-formed IANA names reach the lookup: on Linux it opens /usr/share/zoneinfo/<id>, so "Europe/"
        // or "../x" would name a directory or escape the database.
        if (id.Length == 0 || id.Length > 64 || id.Contains("..", StringComparison.Ordinal) || id.StartsWith('/') || id.EndsWith('/')
            || id.Contains("//", StringComparison.Ordinal)
            || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+'))
        {
            return null;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or System.Security.SecurityException
            or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    public static Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>? ReadWeekly(LoadContext context, YamlNode node, string id)
    {
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, $"'hours' of schedule '{id}' must map days to times, like mon-fri: \"08:00-18:00\"");
            return null;
        }
        var weekly = new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>();
        var ok = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var daysText = (keyNode as YamlScalarNode)?.Value ?? "";
            var days = ParseDays(daysText);
            if (days is null)
            {
                context.Error(keyNode,
                    $"'{daysText}' in schedule '{id}' is not a day or day range (use mon, tue, ..., sun, mon-fri, daily)");
                ok = false;
                continue;
            }
            var ranges = ReadRanges(context, valueNode, id);
            if (ranges is null)
            {
                ok = false;
                continue;
            }
            foreach (var day in days)
            {
                if (!weekly.TryAdd(day, ranges))
                {
                    context.Error(keyNode, $"{DayNames[(int)day]} is given twice in the hours of schedule '{id}'");
                    ok = false;
                }
            }
        }
        return ok ? weekly : null;
    }

    private static List<DayOfWeek>? ParseDays(string text)
    {
        if (text is "daily" or "every day")
        {
            return [.. Enum.GetValues<DayOfWeek>()];
        }
        var days = new List<DayOfWeek>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            var first = Array.IndexOf(DayNames, bounds[0].ToLowerInvariant());
            var last = bounds.Length == 2 ? Array.IndexOf(DayNames, bounds[1].ToLowerInvariant()) : first;
            if (first < 0 || last < 0 || bounds.Length > 2)
            {
                return null;
            }
            for (var d = first; ; d = (d + 1) % 7)
            {
                days.Add((DayOfWeek)d);
                if (d == last)
                {
                    break;
                }
            }
        }
        return days.Count == 0 ? null : days;
    }

    private static List<TimeRange>? ReadRanges(LoadContext context, YamlNode node, string id)
    {
        var texts = node switch
        {
            YamlScalarNode { Value: { } v } =>
                v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
            YamlSequenceNode s => s.Children.OfType<YamlScalarNode>().Select(c => c.Value ?? "").ToList(),
            _ => null,
        };
        if (texts is null)
        {
            context.Error(node, $"opening hours in schedule '{id}' must be like \"08:00-18:00\" or closed");
            return null;
        }
        var ranges = new List<TimeRange>();
        if (texts is ["closed"])
        {
            return ranges;
        }
        foreach (var text in texts)
        {
            var parts = text.Split('-', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !TryTime(parts[0], out var start) || !TryTime(parts[1], out var end) || end <= start)
            {
                context.Error(node, $"'{text}' in schedule '{id}' is not a time range like 08:00-18:00 (end after start, 24:00 allowed)");
                return null;
            }
            ranges.Add(new TimeRange(start, end));
        }
        return ranges;
    }

    private static bool TryTime(string text, out TimeSpan time)
    {
        time = default;
        var parts = text.Split(':');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || parts[1].Length != 2 || minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
        {
            return false;
        }
        time = new TimeSpan(hours, minutes, 0);
        return true;
    }

    public static List<Holiday> ReadHolidays(LoadContext context, MappingReader reader, YamlNode node, string id)
    {
        var holidays = new List<Holiday>();
        foreach (var (text, itemNode) in reader.ListOf(node, "holidays") ?? [])
        {
            if (TryHoliday(text, out var holiday))
            {
                holidays.Add(holiday);
            }
            else
            {
                context.Error(itemNode, $"holiday '{text}' in schedule '{id}' must be a date (2026-12-24) or a yearly date (12-25)");
            }
        }
        return holidays;
    }

    private static bool TryHoliday(string text, out Holiday holiday)
    {
        holiday = default;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            holiday = new Holiday(date.Year, date.Month, date.Day);
            return true;
        }
        // A leap year accepts 02-29 as a yearly date.
        if (DateOnly.TryParseExact("2000-" + text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var yearly))
        {
            holiday = new Holiday(null, yearly.Month, yearly.Day);
            return true;
        }
        return false;
    }
}
