using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Telephony.Recording.Statistics;

/// <summary>
/// The intervals of a report range [<see cref="From"/>, <see cref="To"/>), aligned to the wall clock of a business
/// time zone (docs/metrics.md, "Intervals"). A boundary is every instant at which the local clock shows a multiple of
/// the interval length after local midnight (every local midnight for <see cref="IntervalLength.Day"/>):
/// <list type="bullet">
/// <item>a local time skipped by a spring-forward change maps to the instant of the change, so the 60 m interval
/// before it is the only one there (02:00–03:00 does not exist) and the day has 23 hours;</item>
/// <item>a local time repeated by a fall-back change is a boundary at both instants (two 02:00 intervals, a day of
/// 25 hours); a repeated local midnight starts the day at its first instant.</item>
/// </list>
/// <see cref="From"/> and <see cref="To"/> are boundaries too, so an unaligned range has a shorter first or last
/// interval. Boundaries are kept as UTC ticks; finding the interval of an instant is a binary search, O(log n) in the
/// number of intervals and independent of the number of facts. Immutable, safe to share.
/// </summary>
public sealed class IntervalGrid
{
    /// <summary>Most intervals a grid may have (about 520 days of 15 m intervals).</summary>
    public const int MaxIntervals = 50_000;

    private static readonly long MaxZoneOffsetTicks = TimeSpan.FromHours(18).Ticks;

    private readonly long[] _boundaries; // UTC ticks, Count + 1 of them, strictly increasing
    private readonly ReportInterval[] _intervals;

    private IntervalGrid(TimeZoneInfo timeZone, IntervalLength length, long[] boundaries)
    {
        TimeZone = timeZone;
        Length = length;
        _boundaries = boundaries;
        _intervals = new ReportInterval[boundaries.Length - 1];
        for (var i = 0; i < _intervals.Length; i++)
        {
            _intervals[i] = new ReportInterval(i, ToZone(boundaries[i]), ToZone(boundaries[i + 1]));
        }
    }

    public TimeZoneInfo TimeZone { get; }

    public IntervalLength Length { get; }

    /// <summary>Start of the range, in the business time zone.</summary>
    public DateTimeOffset From => _intervals[0].Start;

    /// <summary>End of the range (exclusive), in the business time zone.</summary>
    public DateTimeOffset To => _intervals[^1].End;

    public int Count => _intervals.Length;

    public IReadOnlyList<ReportInterval> Intervals => _intervals;

    /// <summary>Builds the grid; throws <see cref="ArgumentException"/> with the reason of <see cref="TryCreate"/>.</summary>
    public static IntervalGrid Create(TimeZoneInfo timeZone, IntervalLength length, DateTimeOffset from, DateTimeOffset to) =>
        TryCreate(timeZone, length, from, to, out IntervalGrid? grid, out string? error) ? grid : throw new ArgumentException(error);

    /// <summary>Builds the grid, or says why it cannot: <paramref name="from"/> not before <paramref name="to"/>, a
    /// range outside the years 1900–9000, an unknown length, more than <see cref="MaxIntervals"/> intervals.</summary>
    public static bool TryCreate(
        TimeZoneInfo timeZone,
        IntervalLength length,
        DateTimeOffset from,
        DateTimeOffset to,
        [NotNullWhen(true)] out IntervalGrid? grid,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        grid = null;
        error = Check(length, from, to);
        if (error is not null)
        {
            return false;
        }

        long fromTicks = from.UtcTicks, toTicks = to.UtcTicks;
        int minutes = IntervalLengths.WallClockMinutes(length);
        bool allOccurrences = length != IntervalLength.Day;
        var candidates = new List<long>();
        DateTime localDay = TimeZoneInfo.ConvertTime(from, timeZone).Date.AddDays(-1); // a day early: a repeated hour
        while (EarliestInstant(timeZone, localDay) < toTicks)
        {
            for (var m = 0; m < 1440; m += minutes)
            {
                AddInstants(timeZone, localDay.AddMinutes(m), allOccurrences, candidates);
            }

            localDay = localDay.AddDays(1);
        }

        candidates.Sort();
        var boundaries = new List<long> { fromTicks };
        foreach (long c in candidates)
        {
            if (c > boundaries[^1] && c < toTicks)
            {
                boundaries.Add(c);
            }
        }

        boundaries.Add(toTicks);
        if (boundaries.Count - 1 > MaxIntervals)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"the range has more than {MaxIntervals} intervals");
            return false;
        }

        grid = new IntervalGrid(timeZone, length, [.. boundaries]);
        return true;
    }

    /// <summary>The business day containing <paramref name="instant"/>: from its local midnight to the next one (23,
    /// 24 or 25 hours), e.g. the range of a "today" report.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) DayContaining(TimeZoneInfo timeZone, DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        DateTime day = TimeZoneInfo.ConvertTime(instant, timeZone).Date;
        return (ToZone(timeZone, EarliestInstant(timeZone, day)), ToZone(timeZone, EarliestInstant(timeZone, day.AddDays(1))));
    }

    /// <summary>The interval containing <paramref name="instant"/>; false outside [<see cref="From"/>, <see
    /// cref="To"/>).</summary>
    public bool TryGetIndex(DateTimeOffset instant, out int index)
    {
        long ticks = instant.UtcTicks;
        if (ticks < _boundaries[0] || ticks >= _boundaries[^1])
        {
            index = -1;
            return false;
        }

        var hint = 0;
        index = IndexOf(ticks, ref hint);
        return true;
    }

    /// <summary>True when every interval boundary is a whole multiple of <paramref name="bucket"/> since the Unix epoch
    /// (UTC): then every bucket of that length inside the range lies in exactly one interval, so rolled-up buckets can be
    /// added without splitting (a 15-minute bucket fits every 15m/30m/60m/day grid of a zone whose offsets are whole
    /// quarter hours, which is every zone in use today).</summary>
    public bool IsAlignedTo(TimeSpan bucket)
    {
        if (bucket <= TimeSpan.Zero)
        {
            return false;
        }

        foreach (long boundary in _boundaries)
        {
            if ((boundary - DateTimeOffset.UnixEpoch.UtcTicks) % bucket.Ticks != 0)
            {
                return false;
            }
        }

        return true;
    }

    internal long FromTicks => _boundaries[0];

    internal long ToTicks => _boundaries[^1];

    internal long EndTicks(int index) => _boundaries[index + 1];

    /// <summary>Index of the interval holding <paramref name="utcTicks"/>, which must lie in the range. Tries
    /// <paramref name="hint"/> and the interval after it first (facts mostly arrive in time order), then searches; the
    /// hint is updated.</summary>
    internal int IndexOf(long utcTicks, ref int hint)
    {
        long[] b = _boundaries;
        int h = hint;
        if ((uint)h < (uint)_intervals.Length && b[h] <= utcTicks)
        {
            if (utcTicks < b[h + 1])
            {
                return h;
            }

            if (h + 2 < b.Length && utcTicks < b[h + 2])
            {
                hint = h + 1;
                return h + 1;
            }
        }

        int i = Array.BinarySearch(b, utcTicks);
        i = i >= 0 ? i : ~i - 1;
        hint = i;
        return i;
    }

    private static string? Check(IntervalLength length, DateTimeOffset from, DateTimeOffset to)
    {
        if (!Enum.IsDefined(length))
        {
            return "unknown interval length";
        }

        if (from >= to)
        {
            return "the range start must be before its end";
        }

        if (from.UtcDateTime.Year < 1900 || to.UtcDateTime.Year > 9000)
        {
            return "the range must lie within the years 1900-9000";
        }

        // Intervals are at least 1 hour long for days (23 h) and exactly their wall-clock length otherwise, except
        // around DST changes: the estimate is close enough to refuse absurd ranges before building them.
        double minutes = length == IntervalLength.Day ? 23 * 60 : IntervalLengths.WallClockMinutes(length);
        return (to - from).TotalMinutes / minutes > MaxIntervals + 2
            ? string.Create(CultureInfo.InvariantCulture, $"the range has more than {MaxIntervals} intervals")
            : null;
    }

    private DateTimeOffset ToZone(long utcTicks) => ToZone(TimeZone, utcTicks);

    private static DateTimeOffset ToZone(TimeZoneInfo timeZone, long utcTicks) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(utcTicks, TimeSpan.Zero), timeZone);

    /// <summary>The instants (UTC ticks) at which the local clock shows <paramref name="local"/>: one; two when it is
    /// repeated by a fall-back (only the first unless <paramref name="all"/>); the instant of the change when it is
    /// skipped by a spring-forward.</summary>
    private static void AddInstants(TimeZoneInfo timeZone, DateTime local, bool all, List<long> sink)
    {
        if (timeZone.IsInvalidTime(local))
        {
            sink.Add(FirstInstantAtOrAfter(timeZone, local));
            return;
        }

        if (!timeZone.IsAmbiguousTime(local))
        {
            sink.Add(local.Ticks - timeZone.GetUtcOffset(local).Ticks);
            return;
        }

        TimeSpan[] offsets = timeZone.GetAmbiguousTimeOffsets(local);
        long first = long.MaxValue;
        foreach (TimeSpan offset in offsets)
        {
            long instant = local.Ticks - offset.Ticks;
            first = Math.Min(first, instant);
            if (all)
            {
                sink.Add(instant);
            }
        }

        if (!all)
        {
            sink.Add(first);
        }
    }

    private static long EarliestInstant(TimeZoneInfo timeZone, DateTime local)
    {
        var one = new List<long>(2);
        AddInstants(timeZone, local, all: false, one);
        return one[0];
    }

    /// <summary>The first instant whose local time is at or after <paramref name="local"/> (for a skipped local time:
    /// the instant of the change). Local time grows with UTC time near a spring-forward, so a binary search over
    /// ±18 h (the widest zone offsets) finds it to the tick.</summary>
    private static long FirstInstantAtOrAfter(TimeZoneInfo timeZone, DateTime local)
    {
        long lo = local.Ticks - MaxZoneOffsetTicks, hi = local.Ticks + MaxZoneOffsetTicks;
        while (lo < hi)
        {
            long mid = lo + ((hi - lo) / 2);
            long localMid = mid + timeZone.GetUtcOffset(new DateTime(mid, DateTimeKind.Utc)).Ticks;
            if (localMid >= local.Ticks)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }
}
