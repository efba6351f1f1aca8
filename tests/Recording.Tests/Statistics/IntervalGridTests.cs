using Telephony.Recording.Statistics;
using static Telephony.Recording.Tests.Statistics.Zones;

namespace Telephony.Recording.Tests.Statistics;

public sealed class IntervalGridTests
{
    [Theory]
    [InlineData("15m", IntervalLength.Minutes15)]
    [InlineData("30M", IntervalLength.Minutes30)]
    [InlineData("60m", IntervalLength.Minutes60)]
    [InlineData("1h", IntervalLength.Minutes60)]
    [InlineData(" day ", IntervalLength.Day)]
    public void Interval_lengths_parse(string text, IntervalLength expected)
    {
        Assert.True(IntervalLengths.TryParse(text, out IntervalLength length));
        Assert.Equal(expected, length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("45m")]
    [InlineData("week")]
    public void Unknown_interval_lengths_do_not_parse(string? text) => Assert.False(IntervalLengths.TryParse(text, out _));

    [Fact]
    public void Interval_lengths_round_trip_through_text()
    {
        foreach (IntervalLength length in Enum.GetValues<IntervalLength>())
        {
            Assert.True(IntervalLengths.TryParse(IntervalLengths.ToText(length), out IntervalLength parsed));
            Assert.Equal(length, parsed);
        }
    }

    [Fact]
    public void Ordinary_day_in_Paris_has_24_hours_96_quarters_and_one_day()
    {
        (DateTimeOffset from, DateTimeOffset to) = IntervalGrid.DayContaining(Paris, Utc(2025, 3, 10, 12));
        Assert.Equal(At(2025, 3, 10, 0, 0, 0, 1), from);
        Assert.Equal(At(2025, 3, 11, 0, 0, 0, 1), to);
        Assert.Equal(24, IntervalGrid.Create(Paris, IntervalLength.Minutes60, from, to).Count);
        Assert.Equal(48, IntervalGrid.Create(Paris, IntervalLength.Minutes30, from, to).Count);
        Assert.Equal(96, IntervalGrid.Create(Paris, IntervalLength.Minutes15, from, to).Count);
        IntervalGrid day = IntervalGrid.Create(Paris, IntervalLength.Day, from, to);
        Assert.Equal(86400, Assert.Single(day.Intervals).LengthSeconds);
    }

    [Fact]
    public void Spring_forward_day_in_Paris_has_23_hours_and_no_0200_interval()
    {
        (DateTimeOffset from, DateTimeOffset to) = IntervalGrid.DayContaining(Paris, Utc(2025, 3, 30, 12));
        IntervalGrid hours = IntervalGrid.Create(Paris, IntervalLength.Minutes60, from, to);
        Assert.Equal(23, hours.Count);
        Assert.Equal(At(2025, 3, 30, 1, 0, 0, 1), hours.Intervals[1].Start);
        Assert.Equal(At(2025, 3, 30, 3, 0, 0, 2), hours.Intervals[2].Start); // 01:00 CET is followed by 03:00 CEST
        Assert.All(hours.Intervals, i => Assert.Equal(3600, i.LengthSeconds));
        Assert.Equal(92, IntervalGrid.Create(Paris, IntervalLength.Minutes15, from, to).Count);
        Assert.Equal(82800, Assert.Single(IntervalGrid.Create(Paris, IntervalLength.Day, from, to).Intervals).LengthSeconds);

        Assert.True(hours.TryGetIndex(Utc(2025, 3, 30, 1, 30), out int index)); // 03:30 CEST
        Assert.Equal(2, index);
    }

    [Fact]
    public void Fall_back_day_in_Paris_has_25_hours_and_two_0200_intervals()
    {
        (DateTimeOffset from, DateTimeOffset to) = IntervalGrid.DayContaining(Paris, Utc(2025, 10, 26, 12));
        Assert.Equal(90000, (to - from).TotalSeconds);
        IntervalGrid hours = IntervalGrid.Create(Paris, IntervalLength.Minutes60, from, to);
        Assert.Equal(25, hours.Count);
        Assert.Equal(At(2025, 10, 26, 2, 0, 0, 2), hours.Intervals[2].Start);
        Assert.Equal(At(2025, 10, 26, 2, 0, 0, 1), hours.Intervals[3].Start);
        Assert.All(hours.Intervals, i => Assert.Equal(3600, i.LengthSeconds));
        Assert.Equal(100, IntervalGrid.Create(Paris, IntervalLength.Minutes15, from, to).Count);

        Assert.True(hours.TryGetIndex(At(2025, 10, 26, 2, 30, 0, 2), out int first));
        Assert.True(hours.TryGetIndex(At(2025, 10, 26, 2, 30, 0, 1), out int second));
        Assert.Equal((2, 3), (first, second));
    }

    [Fact]
    public void New_York_DST_days_have_92_and_100_quarter_hours()
    {
        (DateTimeOffset springFrom, DateTimeOffset springTo) = IntervalGrid.DayContaining(NewYork, Utc(2025, 3, 9, 17));
        (DateTimeOffset fallFrom, DateTimeOffset fallTo) = IntervalGrid.DayContaining(NewYork, Utc(2025, 11, 2, 17));
        Assert.Equal(At(2025, 3, 9, 0, 0, 0, -5), springFrom);
        Assert.Equal(At(2025, 11, 2, 0, 0, 0, -4), fallFrom);
        Assert.Equal(92, IntervalGrid.Create(NewYork, IntervalLength.Minutes15, springFrom, springTo).Count);
        Assert.Equal(100, IntervalGrid.Create(NewYork, IntervalLength.Minutes15, fallFrom, fallTo).Count);
        Assert.Equal(46, IntervalGrid.Create(NewYork, IntervalLength.Minutes30, springFrom, springTo).Count);
        Assert.Equal(50, IntervalGrid.Create(NewYork, IntervalLength.Minutes30, fallFrom, fallTo).Count);
    }

    [Fact]
    public void A_week_of_days_across_fall_back_has_one_day_of_25_hours()
    {
        IntervalGrid week = IntervalGrid.Create(Paris, IntervalLength.Day, At(2025, 10, 20, 0, 0, 0, 2), At(2025, 10, 27, 0, 0, 0, 1));
        Assert.Equal(7, week.Count);
        Assert.Equal([24, 24, 24, 24, 24, 24, 25], week.Intervals.Select(i => i.LengthSeconds / 3600));
        Assert.All(week.Intervals, i => Assert.Equal(TimeSpan.Zero, i.Start.TimeOfDay));
    }

    [Fact]
    public void Half_hour_DST_shift_in_Lord_Howe_makes_one_30_minute_interval()
    {
        // 2025-10-05 02:00 local (+10:30) jumps to 02:30 (+11:00).
        (DateTimeOffset from, DateTimeOffset to) = IntervalGrid.DayContaining(LordHowe, At(2025, 10, 5, 12, 0, 0, 11));
        IntervalGrid hours = IntervalGrid.Create(LordHowe, IntervalLength.Minutes60, from, to);
        Assert.Equal(24, hours.Count);
        Assert.Equal(84600, (to - from).TotalSeconds);
        ReportInterval shortOne = Assert.Single(hours.Intervals, i => i.LengthSeconds != 3600);
        Assert.Equal(1800, shortOne.LengthSeconds);
        Assert.Equal(At(2025, 10, 5, 2, 30, 0, 11), shortOne.Start);
    }

    [Fact]
    public void Quarter_hours_follow_the_wall_clock_of_a_45_minute_offset()
    {
        (DateTimeOffset from, DateTimeOffset to) = IntervalGrid.DayContaining(Kathmandu, Utc(2025, 6, 1, 6));
        IntervalGrid grid = IntervalGrid.Create(Kathmandu, IntervalLength.Minutes15, from, to);
        Assert.Equal(96, grid.Count);
        Assert.Equal(Utc(2025, 5, 31, 18, 15), grid.Intervals[0].Start.ToUniversalTime());
        Assert.All(grid.Intervals, i => Assert.Equal(0, i.Start.Minute % 15));
    }

    [Fact]
    public void Unaligned_range_has_short_first_and_last_intervals()
    {
        IntervalGrid grid = IntervalGrid.Create(Paris, IntervalLength.Minutes60, At(2025, 3, 10, 9, 20, 0, 1), At(2025, 3, 10, 11, 5, 0, 1));
        Assert.Equal([2400, 3600, 300], grid.Intervals.Select(i => i.LengthSeconds));
        Assert.Equal(At(2025, 3, 10, 10, 0, 0, 1), grid.Intervals[1].Start);
        Assert.False(grid.TryGetIndex(At(2025, 3, 10, 9, 19, 59, 1), out _));
        Assert.False(grid.TryGetIndex(At(2025, 3, 10, 11, 5, 0, 1), out _)); // the end is exclusive
        Assert.True(grid.TryGetIndex(At(2025, 3, 10, 11, 0, 0, 1), out int last)); // a boundary belongs to the interval it starts
        Assert.Equal(2, last);
    }

    [Fact]
    public void Impossible_ranges_are_refused_with_a_reason()
    {
        DateTimeOffset t = At(2025, 3, 10, 0, 0, 0, 1);
        Assert.False(IntervalGrid.TryCreate(Paris, IntervalLength.Minutes60, t, t, out _, out string? empty));
        Assert.Contains("before", empty, StringComparison.Ordinal);
        Assert.False(IntervalGrid.TryCreate(Paris, IntervalLength.Minutes15, t, t.AddDays(600), out _, out string? tooMany));
        Assert.Contains("50000", tooMany, StringComparison.Ordinal);
        Assert.True(IntervalGrid.TryCreate(Paris, IntervalLength.Day, t, t.AddDays(3650), out IntervalGrid? years, out _));
        Assert.Equal(3650, years.Count);
        Assert.False(IntervalGrid.TryCreate(Paris, (IntervalLength)9, t, t.AddDays(1), out _, out _));
        Assert.Throws<ArgumentException>(() => IntervalGrid.Create(Paris, IntervalLength.Day, t.AddDays(1), t));
    }
}
