using Telephony.Recording.Statistics;
using static Telephony.Recording.Tests.Statistics.Facts;
using static Telephony.Recording.Tests.Statistics.Zones;

namespace Telephony.Recording.Tests.Statistics;

public sealed class AgentSpanTests
{
    private static readonly DateTimeOffset Day = At(2025, 3, 10, 0, 0, 0, 1);

    private static StatisticsAccumulator Accumulator(IntervalLength interval, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now) =>
        new(new StatisticsOptions { TimeZone = Paris, Interval = interval, From = from, To = to, Now = now });

    private static AgentIntervalStats[] Rows(StatisticsReport report, string agent) => [.. report.Agents.Where(a => a.Agent == agent)];

    [Fact]
    public void A_span_across_midnight_is_split_into_hours_and_days()
    {
        StatisticsAccumulator hours = Accumulator(IntervalLength.Minutes60, Day, Day.AddDays(2), Day.AddDays(2));
        StatisticsAccumulator days = Accumulator(IntervalLength.Day, Day, Day.AddDays(2), Day.AddDays(2));
        AgentStateSpan span = Span("a", AgentActivity.Available, Day.AddHours(22).AddMinutes(30), Day.AddDays(1).AddHours(1).AddMinutes(15));
        hours.AddAgentSpan(span);
        days.AddAgentSpan(span);

        AgentIntervalStats[] h = Rows(hours.Build(), "a");
        Assert.Equal(48, h.Length);
        Assert.Equal([1800.0, 3600, 3600, 900], h.Skip(22).Take(4).Select(r => r.AvailableSeconds));
        Assert.Equal(9900, h.Sum(r => r.StaffedSeconds));

        AgentIntervalStats[] d = Rows(days.Build(), "a");
        Assert.Equal([5400.0, 4500], d.Select(r => r.AvailableSeconds));
        Assert.All(d, r => Assert.Equal(0.0, r.Occupancy));
    }

    [Fact]
    public void A_span_across_the_fall_back_night_counts_real_time()
    {
        DateTimeOffset from = At(2025, 10, 26, 0, 0, 0, 2);
        StatisticsAccumulator acc = Accumulator(IntervalLength.Minutes60, from, At(2025, 10, 27, 0, 0, 0, 1), At(2025, 10, 27, 0, 0, 0, 1));
        acc.AddAgentSpan(Span("a", AgentActivity.OnCall, from, At(2025, 10, 26, 6, 0, 0, 1)));
        AgentIntervalStats[] rows = Rows(acc.Build(), "a");
        Assert.Equal(25, rows.Length);
        Assert.Equal(7 * 3600, rows.Sum(r => r.TalkSeconds));
        Assert.All(rows.Take(7), r => Assert.Equal((3600.0, 1.0), (r.TalkSeconds, r.Occupancy!.Value)));
    }

    [Fact]
    public void Spans_are_clipped_to_the_range_and_cut_at_now()
    {
        DateTimeOffset now = Day.AddHours(10).AddMinutes(20);
        StatisticsAccumulator acc = Accumulator(IntervalLength.Minutes60, Day.AddHours(9), Day.AddHours(12), now);
        acc.AddAgentSpan(Span("a", AgentActivity.Available, Day.AddHours(-3), Day.AddHours(9).AddMinutes(10))); // from yesterday
        acc.AddAgentSpan(Span("a", AgentActivity.OnCall, Day.AddHours(9).AddMinutes(10), Day.AddHours(9).AddMinutes(40)));
        acc.AddAgentSpan(Span("a", AgentActivity.WrapUp, Day.AddHours(9).AddMinutes(40), Day.AddHours(11))); // ends after now
        acc.AddAgentSpan(Span("b", AgentActivity.Available, Day.AddHours(10), null));                          // still open
        acc.AddAgentSpan(Span("c", AgentActivity.Available, Day.AddHours(11), null));                          // starts after now
        StatisticsReport report = acc.Build();

        AgentIntervalStats[] a = Rows(report, "a");
        Assert.Equal((600.0, 1800.0, 1200.0, 3600.0), (a[0].AvailableSeconds, a[0].TalkSeconds, a[0].WrapUpSeconds, a[0].StaffedSeconds));
        Assert.Equal(3000.0 / 3600, a[0].Occupancy!.Value, 12);
        Assert.Equal((1200.0, 1200.0), (a[1].WrapUpSeconds, a[1].StaffedSeconds));
        Assert.Null(a[2].Occupancy);

        Assert.Equal([0.0, 1200, 0], Rows(report, "b").Select(r => r.AvailableSeconds));
        Assert.Equal(0, report.AgentTotals.Single(t => t.Agent == "c").StaffedSeconds);
    }

    [Fact]
    public void Pauses_are_split_by_reason_and_ringing_is_staffed_but_not_occupied()
    {
        DateTimeOffset nine = Day.AddHours(9);
        StatisticsAccumulator acc = Accumulator(IntervalLength.Minutes60, Day, Day.AddDays(1), Day.AddDays(1));
        acc.AddAgentSpan(Span("a", AgentActivity.Paused, nine, nine.AddMinutes(10), "break"));
        acc.AddAgentSpan(Span("a", AgentActivity.Ringing, nine.AddMinutes(10), nine.AddMinutes(11)));
        acc.AddAgentSpan(Span("a", AgentActivity.OnCall, nine.AddMinutes(11), nine.AddMinutes(20)));
        acc.AddAgentSpan(Span("a", AgentActivity.Paused, nine.AddMinutes(20), nine.AddMinutes(50), "training"));
        acc.AddAgentSpan(Span("a", AgentActivity.Paused, nine.AddMinutes(50), nine.AddMinutes(55), "break"));
        acc.AddAgentSpan(Span("a", AgentActivity.Paused, nine.AddMinutes(55), nine.AddMinutes(70), null));
        StatisticsReport report = acc.Build();
        AgentIntervalStats r = report.Agents.Single(x => x.Agent == "a" && x.Interval.Index == 9);
        Assert.Equal(new Dictionary<string, double> { ["break"] = 900, ["training"] = 1800, [AgentIntervalStats.UnspecifiedReason] = 300 },
            r.PausedSecondsByReason);
        Assert.Equal((3000.0, 60.0, 540.0, 3600.0), (r.PausedSeconds, r.RingingSeconds, r.TalkSeconds, r.StaffedSeconds));
        Assert.Equal(540.0 / 3600, r.Occupancy!.Value, 12);
        AgentIntervalStats ten = report.Agents.Single(x => x.Agent == "a" && x.Interval.Index == 10);
        Assert.Equal(new Dictionary<string, double> { [AgentIntervalStats.UnspecifiedReason] = 600 }, ten.PausedSecondsByReason);
        Assert.Empty(report.Agents.Single(x => x.Agent == "a" && x.Interval.Index == 11).PausedSecondsByReason);
    }

    [Fact]
    public void Logged_out_and_unusable_spans_count_nothing()
    {
        StatisticsAccumulator acc = Accumulator(IntervalLength.Day, Day, Day.AddDays(1), Day.AddDays(1));
        acc.AddAgentSpan(Span("a", AgentActivity.LoggedOut, Day, Day.AddHours(8)));
        acc.AddAgentSpan(Span("", AgentActivity.Available, Day, Day.AddHours(8)));
        acc.AddAgentSpan(Span("b", AgentActivity.Available, Day.AddHours(8), Day.AddHours(7)));
        acc.AddAgentSpan(Span("b", (AgentActivity)99, Day.AddHours(8), Day.AddHours(9)));
        acc.AddAgentSpan(Span("b", AgentActivity.Available, Day.AddHours(8), Day.AddHours(8))); // empty: fine, nothing
        StatisticsReport report = acc.Build();
        Assert.Equal(3, report.SpansRejected);
        Assert.Equal(["a", "b"], report.AgentTotals.Select(t => t.Agent)); // seen, so reported, with no time
        Assert.All(report.AgentTotals, t => Assert.Equal((0.0, (double?)null), (t.StaffedSeconds, t.Occupancy)));
    }
}
