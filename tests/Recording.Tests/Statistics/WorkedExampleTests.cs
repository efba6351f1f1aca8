using Telephony.Recording.Statistics;
using static Telephony.Recording.Tests.Statistics.Facts;
using static Telephony.Recording.Tests.Statistics.Zones;

namespace Telephony.Recording.Tests.Statistics;

/// <summary>The worked example of docs/metrics.md, field by field: the support queue between 09:00 and 10:00 on
/// Monday 10 March 2025 in Europe/Paris, the operator queue it overflows to, and agent 1001's morning.</summary>
public sealed class WorkedExampleTests
{
    private static readonly DateTimeOffset Nine = At(2025, 3, 10, 9, 0, 0, 1);

    internal static StatisticsReport Build()
    {
        var accumulator = new StatisticsAccumulator(new StatisticsOptions
        {
            TimeZone = Paris,
            Interval = IntervalLength.Minutes60,
            From = At(2025, 3, 10, 0, 0, 0, 1),
            To = At(2025, 3, 11, 0, 0, 0, 1),
            Now = Nine.AddMinutes(62), // 10:02
            Queues = new Dictionary<string, QueueThresholds> { ["support"] = new(20, 5), ["operator"] = new(30, 0) },
        });
        foreach (QueueCallFact fact in Calls())
        {
            accumulator.AddCall(fact);
        }

        foreach (AgentStateSpan span in Agent1001())
        {
            accumulator.AddAgentSpan(span);
        }

        return accumulator.Build();
    }

    internal static IEnumerable<QueueCallFact> Calls()
    {
        yield return Answered("support", Nine, 10, "1001", talkSeconds: 200, holdSeconds: 20, wrapUpSeconds: 30);   // 1
        yield return Answered("support", Nine.AddMinutes(5), 30, "1002", talkSeconds: 100, wrapUpSeconds: 20);     // 2
        yield return Answered("support", Nine.AddMinutes(10), 20, "1001", talkSeconds: 160, wrapUpSeconds: 20);    // 3
        yield return Ended("support", Nine.AddMinutes(15), QueueCallOutcome.Abandoned, 3);                        // 4
        yield return Ended("support", Nine.AddMinutes(20), QueueCallOutcome.Abandoned, 45);                       // 5
        yield return Ended("support", Nine.AddMinutes(25), QueueCallOutcome.Abandoned, 15);                       // 6
        yield return Ended("support", Nine.AddMinutes(30), QueueCallOutcome.Overflowed, 300);                     // 7
        yield return Answered("operator", Nine.AddMinutes(35), 5, "1003", talkSeconds: 60, wrapUpSeconds: 10);     // 7 again
        yield return Ended("support", Nine.AddMinutes(40), QueueCallOutcome.CallbackRequested, 60, Nine.AddMinutes(61)); // 8
        yield return Ended("support", Nine.AddMinutes(45), QueueCallOutcome.CallbackRequested, 40);               // 9
        yield return Ended("support", Nine.AddMinutes(50), QueueCallOutcome.Other, 2);                            // 10
        yield return Waiting("support", Nine.AddMinutes(59));                                                     // 11
    }

    internal static IEnumerable<AgentStateSpan> Agent1001()
    {
        DateTimeOffset t = Nine;
        yield return Span("1001", AgentActivity.LoggedOut, t.AddHours(-9), t.AddMinutes(-10));
        yield return Span("1001", AgentActivity.Available, t.AddMinutes(-10), t.AddSeconds(10));
        yield return Span("1001", AgentActivity.OnCall, t.AddSeconds(10), t.AddSeconds(230));
        yield return Span("1001", AgentActivity.WrapUp, t.AddSeconds(230), t.AddSeconds(260));
        yield return Span("1001", AgentActivity.Available, t.AddSeconds(260), t.AddSeconds(620));
        yield return Span("1001", AgentActivity.OnCall, t.AddSeconds(620), t.AddSeconds(780));
        yield return Span("1001", AgentActivity.WrapUp, t.AddSeconds(780), t.AddSeconds(800));
        yield return Span("1001", AgentActivity.Available, t.AddSeconds(800), t.AddMinutes(30));
        yield return Span("1001", AgentActivity.Paused, t.AddMinutes(30), null, "lunch");
    }

    [Fact]
    public void Support_0900_every_field()
    {
        StatisticsReport report = Build();
        QueueIntervalStats s = report.Queues.Single(r => r.Queue == "support" && r.Interval.Start == Nine);
        Assert.Equal(9, s.Interval.Index);
        Assert.Equal(Nine.AddHours(1), s.Interval.End);
        Assert.Equal((20, 5), (s.ServiceLevelSeconds, s.ShortAbandonSeconds));
        Assert.Equal(11, s.Offered);
        Assert.Equal(3, s.Answered);
        Assert.Equal(3, s.Abandoned);
        Assert.Equal(1, s.ShortAbandoned);
        Assert.Equal(1, s.Overflowed);
        Assert.Equal(2, s.CallbacksRequested);
        Assert.Equal(1, s.CallbacksCompleted);
        Assert.Equal(1, s.Waiting);
        Assert.Equal(1, s.Other);
        Assert.Equal(s.Offered, s.Answered + s.Abandoned + s.Overflowed + s.CallbacksRequested + s.Waiting + s.Other);
        Assert.Equal(2, s.AnsweredWithinThreshold); // 10 s and exactly 20 s
        Assert.Equal(2, s.AbandonedWithinThreshold); // 3 s and 15 s
        Assert.Equal(2.0 / 9, s.ServiceLevel!.Value, 12); // 11 offered − 1 short abandon − 1 waiting
        Assert.Equal(2.0 / 3, s.ServiceLevelAnsweredOnly!.Value, 12);
        Assert.Equal(4.0 / 10, s.ServiceLevelAbandonsMet!.Value, 12);
        Assert.Equal(2.0 / 9, s.AbandonRate!.Value, 12);
        Assert.Equal(20, s.AsaSeconds!.Value, 12);
        Assert.Equal(52.5, s.AvgWaitSeconds!.Value, 12);
        Assert.Equal(300, s.LongestWaitSeconds!.Value, 12);
        Assert.Equal(550.0 / 3, s.AhtSeconds!.Value, 12);
        Assert.Equal(60, s.AnsweredWaitSeconds, 12);
        Assert.Equal((10, 525.0), (s.WaitCount, s.WaitSeconds));
        Assert.Equal((3, 550.0), (s.HandledCount, s.HandleSeconds));
    }

    [Fact]
    public void The_overflowed_call_is_offered_again_in_operator()
    {
        StatisticsReport report = Build();
        QueueIntervalStats o = report.Queues.Single(r => r.Queue == "operator" && r.Interval.Start == Nine);
        Assert.Equal((1, 1, 1), (o.Offered, o.Answered, o.AnsweredWithinThreshold));
        Assert.Equal(1.0, o.ServiceLevel);
        Assert.Equal(70, o.AhtSeconds);
        Assert.Equal(0, o.ShortAbandonSeconds);
        Assert.Equal(12, report.QueueTotals.Sum(t => t.Offered)); // 11 calls, the overflowed one counted in both queues
    }

    [Fact]
    public void Agent_1001_hour_by_hour()
    {
        StatisticsReport report = Build();
        AgentIntervalStats[] rows = [.. report.Agents.Where(a => a.Agent == "1001")];
        Assert.Equal(24, rows.Length);

        AgentIntervalStats eight = rows[8];
        Assert.Equal((600.0, 600.0, 0.0), (eight.AvailableSeconds, eight.StaffedSeconds, eight.Occupancy!.Value));

        AgentIntervalStats nine = rows[9];
        Assert.Equal(2, nine.Handled);
        Assert.Equal(380, nine.TalkSeconds);
        Assert.Equal(50, nine.WrapUpSeconds);
        Assert.Equal(1370, nine.AvailableSeconds);
        Assert.Equal(0, nine.RingingSeconds);
        Assert.Equal(1800, nine.PausedSeconds);
        Assert.Equal(new Dictionary<string, double> { ["lunch"] = 1800 }, nine.PausedSecondsByReason);
        Assert.Equal(3600, nine.StaffedSeconds);
        Assert.Equal(430.0 / 3600, nine.Occupancy!.Value, 12);

        AgentIntervalStats ten = rows[10]; // the open lunch pause is cut at now (10:02)
        Assert.Equal((120.0, 120.0, 0.0), (ten.PausedSeconds, ten.StaffedSeconds, ten.Occupancy!.Value));
        Assert.All(rows.Skip(11), r => Assert.Equal((0.0, (double?)null), (r.StaffedSeconds, r.Occupancy)));
        Assert.All(rows.Take(8), r => Assert.Null(r.Occupancy)); // logged out: no staffed time

        AgentIntervalStats total = report.AgentTotals.Single(a => a.Agent == "1001");
        Assert.Equal(-1, total.Interval.Index);
        Assert.Equal((2, 4320.0, 1920.0), (total.Handled, total.StaffedSeconds, total.PausedSecondsByReason["lunch"]));

        Assert.Equal(1, report.AgentTotals.Single(a => a.Agent == "1002").Handled); // seen only through a call
        Assert.Equal(0, report.AgentTotals.Single(a => a.Agent == "1002").StaffedSeconds);
    }

    [Fact]
    public void Every_interval_is_reported_and_empty_ones_have_null_ratios()
    {
        StatisticsReport report = Build();
        Assert.Equal(24, report.Intervals.Count);
        Assert.Equal(["operator", "support"], report.Queues.Select(q => q.Queue).Distinct());
        Assert.Equal(48, report.Queues.Count);
        QueueIntervalStats empty = report.Queues.Single(r => r.Queue == "support" && r.Interval.Index == 3);
        Assert.Equal(0, empty.Offered);
        Assert.Null(empty.ServiceLevel);
        Assert.Null(empty.ServiceLevelAnsweredOnly);
        Assert.Null(empty.ServiceLevelAbandonsMet);
        Assert.Null(empty.AbandonRate);
        Assert.Null(empty.AsaSeconds);
        Assert.Null(empty.AvgWaitSeconds);
        Assert.Null(empty.LongestWaitSeconds);
        Assert.Null(empty.AhtSeconds);

        QueueIntervalStats total = report.QueueTotals.Single(t => t.Queue == "support");
        Assert.Equal(-1, total.Interval.Index);
        Assert.Equal(86400, total.Interval.LengthSeconds);
        Assert.Equal(2.0 / 9, total.ServiceLevel!.Value, 12);
        Assert.Equal((0L, 0L, 0L), (report.CallsOutsideRange, report.CallsRejected, report.SpansRejected));
    }
}
