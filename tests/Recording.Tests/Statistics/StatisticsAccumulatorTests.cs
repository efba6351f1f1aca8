using Telephony.Recording.Statistics;
using static Telephony.Recording.Tests.Statistics.Facts;
using static Telephony.Recording.Tests.Statistics.Zones;

namespace Telephony.Recording.Tests.Statistics;

public sealed class StatisticsAccumulatorTests
{
    private static readonly DateTimeOffset Day = At(2025, 3, 10, 0, 0, 0, 1);
    private static readonly DateTimeOffset Nine = Day.AddHours(9);

    private static StatisticsAccumulator Hourly(DateTimeOffset? now = null, TimeZoneInfo? zone = null, DateTimeOffset? from = null,
        DateTimeOffset? to = null, IntervalLength interval = IntervalLength.Minutes60, QueueThresholds? defaults = null) =>
        new(new StatisticsOptions
        {
            TimeZone = zone ?? Paris,
            Interval = interval,
            From = from ?? Day,
            To = to ?? Day.AddDays(1),
            Now = now ?? Day.AddDays(1),
            DefaultThresholds = defaults ?? QueueThresholds.Default,
        });

    private static QueueIntervalStats Row(StatisticsReport report, string queue, int index) =>
        report.Queues.Single(r => r.Queue == queue && r.Interval.Index == index);

    [Fact]
    public void Short_abandons_leave_the_service_level_denominator_and_the_threshold_is_inclusive()
    {
        StatisticsAccumulator acc = Hourly();
        acc.AddCall(Ended("q", Nine, QueueCallOutcome.Abandoned, 5));        // short: exactly 5 s
        acc.AddCall(Ended("q", Nine, QueueCallOutcome.Abandoned, 5.001));    // not short
        acc.AddCall(Answered("q", Nine, 20, "a"));                            // within: exactly 20 s
        acc.AddCall(Answered("q", Nine, 20.001, "a"));                        // not within
        QueueIntervalStats r = Row(acc.Build(), "q", 9);
        Assert.Equal((4, 2, 1), (r.Offered, r.Abandoned, r.ShortAbandoned));
        Assert.Equal(1.0 / 3, r.ServiceLevel!.Value, 12);
        Assert.Equal(1.0 / 3, r.AbandonRate!.Value, 12);
        Assert.Equal(0.5, r.ServiceLevelAnsweredOnly);
        Assert.Equal(3.0 / 4, r.ServiceLevelAbandonsMet!.Value, 12); // both abandons were within 20 s
    }

    [Fact]
    public void Short_abandon_threshold_0_disables_short_abandons()
    {
        StatisticsAccumulator acc = Hourly(defaults: new QueueThresholds(20, 0));
        acc.AddCall(Ended("q", Nine, QueueCallOutcome.Abandoned, 0));
        QueueIntervalStats r = Row(acc.Build(), "q", 9);
        Assert.Equal((1, 0), (r.Abandoned, r.ShortAbandoned));
        Assert.Equal(0.0, r.ServiceLevel);
        Assert.Equal(1.0, r.AbandonRate);
    }

    [Fact]
    public void Only_short_abandons_give_null_service_level_and_abandon_rate()
    {
        StatisticsAccumulator acc = Hourly();
        acc.AddCall(Ended("q", Nine, QueueCallOutcome.Abandoned, 2));
        QueueIntervalStats r = Row(acc.Build(), "q", 9);
        Assert.Null(r.ServiceLevel);
        Assert.Null(r.AbandonRate);
        Assert.Null(r.ServiceLevelAnsweredOnly);
        Assert.Equal(1.0, r.ServiceLevelAbandonsMet);
        Assert.Null(r.AsaSeconds);
        Assert.Equal(2.0, r.AvgWaitSeconds);
    }

    [Fact]
    public void Callbacks_are_not_abandons_and_count_in_the_interval_of_the_request()
    {
        StatisticsAccumulator acc = Hourly();
        acc.AddCall(Ended("q", Nine, QueueCallOutcome.CallbackRequested, 30, Nine.AddHours(3))); // completed at 12:00
        acc.AddCall(Ended("q", Nine, QueueCallOutcome.CallbackRequested, 50));
        StatisticsReport report = acc.Build();
        QueueIntervalStats r = Row(report, "q", 9);
        Assert.Equal((2, 2, 1, 0), (r.Offered, r.CallbacksRequested, r.CallbacksCompleted, r.Abandoned));
        Assert.Equal(0.0, r.AbandonRate);
        Assert.Equal(0.0, r.ServiceLevel); // offered and not answered within the threshold
        Assert.Equal(40.0, r.AvgWaitSeconds);
        Assert.Equal(0, Row(report, "q", 12).CallbacksCompleted);
    }

    [Fact]
    public void A_call_is_counted_in_the_interval_it_entered_even_when_answered_in_the_next()
    {
        StatisticsAccumulator acc = Hourly();
        acc.AddCall(Answered("q", Nine.AddMinutes(59), 90, "a")); // entered 09:59, answered 10:00:30
        StatisticsReport report = acc.Build();
        Assert.Equal((1, 1), (Row(report, "q", 9).Offered, Row(report, "q", 9).Answered));
        Assert.Equal(0, Row(report, "q", 10).Offered);
        Assert.Equal(1, report.Agents.Single(a => a.Interval.Index == 9).Handled);
    }

    [Fact]
    public void Waiting_calls_are_offered_but_outside_every_ratio()
    {
        StatisticsAccumulator acc = Hourly(now: Nine.AddMinutes(10));
        acc.AddCall(Waiting("q", Nine.AddMinutes(1)));
        acc.AddCall(Answered("q", Nine, 10, "a"));
        QueueIntervalStats r = Row(acc.Build(), "q", 9);
        Assert.Equal((2, 1, 1), (r.Offered, r.Waiting, r.Answered));
        Assert.Equal(1.0, r.ServiceLevel);
        Assert.Equal(1.0, r.ServiceLevelAbandonsMet);
        Assert.Equal((1, 10.0), (r.WaitCount, r.AvgWaitSeconds!.Value));
    }

    [Fact]
    public void AHT_leaves_out_calls_still_connected_or_in_wrap_up()
    {
        StatisticsAccumulator acc = Hourly();
        acc.AddCall(Answered("q", Nine, 10, "a", talkSeconds: 100, holdSeconds: 30, wrapUpSeconds: 20));
        acc.AddCall(Answered("q", Nine, 10, "a") with { TalkTime = null });
        acc.AddCall(Answered("q", Nine, 10, "a") with { WrapUpTime = null });
        QueueIntervalStats r = Row(acc.Build(), "q", 9);
        Assert.Equal((3, 1, 150.0), (r.Answered, r.HandledCount, r.AhtSeconds!.Value));
        Assert.Equal(10.0, r.AsaSeconds);
    }

    [Fact]
    public void Other_outcomes_without_a_time_count_but_have_no_wait()
    {
        StatisticsAccumulator acc = Hourly();
        acc.AddCall(Ended("q", Nine, QueueCallOutcome.Other, null));
        acc.AddCall(Ended("q", Nine, QueueCallOutcome.Other, -3)); // clock skew: a negative wait counts as 0
        QueueIntervalStats r = Row(acc.Build(), "q", 9);
        Assert.Equal((2, 2, 1, 0.0), (r.Offered, r.Other, r.WaitCount, r.LongestWaitSeconds!.Value));
        Assert.Equal(0.0, r.ServiceLevel);
    }

    [Fact]
    public void Facts_outside_the_range_or_unusable_are_skipped_and_counted()
    {
        StatisticsAccumulator acc = Hourly();
        acc.AddCall(Answered("q", Day.AddSeconds(-1), 5, "a"));
        acc.AddCall(Answered("q", Day.AddDays(1), 5, "a"));
        acc.AddCall(Ended("q", Nine, QueueCallOutcome.Answered, null));
        acc.AddCall(Ended("q", Nine, QueueCallOutcome.Abandoned, null));
        acc.AddCall(Ended("", Nine, QueueCallOutcome.Abandoned, 4));
        acc.AddCall(Ended("q", Nine, (QueueCallOutcome)42, 4));
        acc.AddCall(Answered("q", Day, 5, "a")); // the start is inclusive
        StatisticsReport report = acc.Build();
        Assert.Equal((2L, 4L), (report.CallsOutsideRange, report.CallsRejected));
        Assert.Equal(1, report.QueueTotals.Single().Offered);
        Assert.Equal(1, Row(report, "q", 0).Offered);
    }

    [Fact]
    public void Unknown_queues_use_the_default_thresholds_and_configured_queues_are_always_reported()
    {
        var acc = new StatisticsAccumulator(new StatisticsOptions
        {
            TimeZone = Paris,
            Interval = IntervalLength.Day,
            From = Day,
            To = Day.AddDays(2),
            Now = Day.AddDays(2),
            DefaultThresholds = new QueueThresholds(60, 10),
            Queues = new Dictionary<string, QueueThresholds> { ["quiet"] = new(15, 3) },
            Agents = ["1004"],
        });
        acc.AddCall(Answered("busy", Nine, 45, "a"));
        StatisticsReport report = acc.Build();
        Assert.Equal(["busy", "busy", "quiet", "quiet"], report.Queues.Select(q => q.Queue));
        Assert.Equal((60, 10, 1.0), (report.Queues[0].ServiceLevelSeconds, report.Queues[0].ShortAbandonSeconds, report.Queues[0].ServiceLevel!.Value));
        Assert.Equal((15, 3, 0), (report.Queues[2].ServiceLevelSeconds, report.Queues[2].ShortAbandonSeconds, report.Queues[2].Offered));
        Assert.Equal(["1004", "a"], report.AgentTotals.Select(a => a.Agent));
    }

    [Fact]
    public void Options_with_negative_thresholds_or_a_bad_range_are_refused()
    {
        var good = new StatisticsOptions { TimeZone = Paris, Interval = IntervalLength.Minutes15, From = Day, To = Day.AddDays(1), Now = Day };
        Assert.True(StatisticsAccumulator.TryCreate(good, out _, out _));
        Assert.False(StatisticsAccumulator.TryCreate(good with { DefaultThresholds = new(-1, 5) }, out _, out string? defaults));
        Assert.Contains("default", defaults, StringComparison.Ordinal);
        Assert.False(StatisticsAccumulator.TryCreate(
            good with { Queues = new Dictionary<string, QueueThresholds> { ["sales"] = new(20, -5) } }, out _, out string? sales));
        Assert.Contains("'sales'", sales, StringComparison.Ordinal);
        Assert.False(StatisticsAccumulator.TryCreate(good with { To = Day }, out _, out _));
        Assert.Throws<ArgumentException>(() => new StatisticsAccumulator(good with { To = Day.AddDays(-1) }));
    }

    [Fact]
    public void Calls_on_the_fall_back_night_land_in_the_right_0200_interval()
    {
        DateTimeOffset from = At(2025, 10, 26, 0, 0, 0, 2);
        StatisticsAccumulator acc = Hourly(from: from, to: At(2025, 10, 27, 0, 0, 0, 1), now: At(2025, 10, 27, 0, 0, 0, 1));
        acc.AddCall(Answered("q", At(2025, 10, 26, 2, 30, 0, 2), 10, "a"));
        acc.AddCall(Answered("q", At(2025, 10, 26, 2, 30, 0, 1), 30, "a"));
        acc.AddCall(Answered("q", At(2025, 10, 26, 2, 45, 0, 1), 30, "a"));
        acc.AddCall(Answered("q", At(2025, 10, 26, 23, 59, 59, 1), 1, "a"));
        StatisticsReport report = acc.Build();
        Assert.Equal(25, report.Intervals.Count);
        Assert.Equal((1, 1.0), (Row(report, "q", 2).Offered, Row(report, "q", 2).ServiceLevel!.Value));
        Assert.Equal((2, 0.0), (Row(report, "q", 3).Offered, Row(report, "q", 3).ServiceLevel!.Value));
        Assert.Equal(1, Row(report, "q", 24).Offered);
    }

    [Fact]
    public void Calls_on_the_spring_forward_day_in_New_York_use_92_quarter_hours()
    {
        DateTimeOffset from = At(2025, 3, 9, 0, 0, 0, -5);
        StatisticsAccumulator acc = Hourly(zone: NewYork, from: from, to: At(2025, 3, 10, 0, 0, 0, -4), now: At(2025, 3, 10, 0, 0, 0, -4),
            interval: IntervalLength.Minutes15);
        acc.AddCall(Answered("q", At(2025, 3, 9, 1, 59, 0, -5), 10, "a")); // the last quarter before the change
        acc.AddCall(Answered("q", At(2025, 3, 9, 3, 0, 0, -4), 10, "a"));  // the first quarter after it
        StatisticsReport report = acc.Build();
        Assert.Equal(92, report.Intervals.Count);
        Assert.Equal(1, Row(report, "q", 7).Offered);
        Assert.Equal(1, Row(report, "q", 8).Offered);
        Assert.Equal(At(2025, 3, 9, 3, 0, 0, -4), report.Intervals[8].Start);
    }

    [Fact]
    public void Adding_a_call_allocates_nothing()
    {
        StatisticsAccumulator acc = Hourly();
        QueueCallFact[] facts = [.. WorkedExampleTests.Calls().Select(f => f with { EnteredAt = f.EnteredAt.AddDays(-0.3) })];
        foreach (QueueCallFact fact in facts)
        {
            acc.AddCall(fact); // first sight of each queue and agent allocates their counters
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 1000; round++)
        {
            foreach (QueueCallFact fact in facts)
            {
                acc.AddCall(fact);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
