using System.Globalization;

namespace Telephony.Ivr.Loading;

/// <summary>
/// Durations as admins write them: <c>5s</c>, <c>500ms</c>, <c>2m</c>, <c>1m30s</c>, <c>1h</c>, or a bare number of seconds.
/// </summary>
internal static class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i == start || !long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }
            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }
            switch (text.AsSpan(unitStart, i - unitStart))
            {
                case "ms": duration += TimeSpan.FromMilliseconds(n); break;
                case "s": duration += TimeSpan.FromSeconds(n); break;
                case "m": duration += TimeSpan.FromMinutes(n); break;
                case "h": duration += TimeSpan.FromHours(n); break;
                default: return false;
            }
        }
        return true;
    }

    public static string Format(TimeSpan duration)
    {
        if (duration.TotalMilliseconds % 1000 != 0)
        {
            return ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }
        var total = (long)duration.TotalSeconds;
        var parts = "";
        if (total >= 3600)
        {
            parts += (total / 3600).ToString(CultureInfo.InvariantCulture) + "h";
            total %= 3600;
        }
        if (total >= 60)
        {
            parts += (total / 60).ToString(CultureInfo.InvariantCulture) + "m";
            total %= 60;
        }
        if (total > 0 || parts.Length == 0)
        {
            parts += total.ToString(CultureInfo.InvariantCulture) + "s";
        }
        return parts;
    }
}
