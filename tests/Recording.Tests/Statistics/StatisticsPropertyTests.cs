using FsCheck;
using FsCheck.Fluent;
using Telephony.Recording.Statistics;
using static Telephony.Recording.Tests.Statistics.Zones;

namespace Telephony.Recording.Tests.Statistics;

/// <summary>Random days of calls and agent spans around the Paris fall-back night, quarter-hour intervals: the numbers
/// add up in every row, totals are the sums of the rows, the input order does not matter, and every second of every
/// span inside the range (up to now) is counted once.</summary>
public sealed class StatisticsPropertyTests
{
    private static readonly DateTimeOffset From = At(2025, 10, 25, 12, 0, 0, 2);
    private static readonly DateTimeOffset To = At(2025, 10, 27, 0, 0, 0, 1);
    private static readonly DateTimeOffset Now = At(2025, 10, 26, 20, 0, 0, 1);
    private static readonly string[] QueueNames = ["sales", "support", "operator"];
    private static readonly string[] AgentNames = ["1001", "1002", "1003"];
    private static readonly string?[] Reasons = ["lunch", "break", null];

    private static readonly Arbitrary<(int Seed, int Count)> Inputs =
        Gen.Choose(0, int.MaxValue - 1).Zip(Gen.Choose(0, 600)).ToArbitrary();

    private static StatisticsAccumulator NewAccumulator() => new(new StatisticsOptions
    {
        TimeZone = Paris,
        Interval = IntervalLength.Minutes15,
        From = From,
        To = To,
        Now = Now,
        DefaultThresholds = new QueueThresholds(20, 5),
    });

    private static QueueCallFact[] RandomFacts(int seed, int count)
    {
        var random = new Random(seed);
        var facts = new QueueCallFact[count];
        long spanSeconds = (long)(To - From).TotalSeconds;
        for (var i = 0; i < count; i++)
        {
            DateTimeOffset entered = From.AddSeconds(random.NextInt64(-3600, spanSeconds + 3600));
            var outcome = (QueueCallOutcome)random.Next(0, 6);
            double wait = random.Next(-2, 400);
            bool timeMissing = random.Next(20) == 0;
            facts[i] = new QueueCallFact
            {
                Queue = QueueNames[random.Next(QueueNames.Length)],
                EnteredAt = entered,
                Outcome = outcome,
                OutcomeAt = timeMissing ? null : entered.AddSeconds(wait),
                Agent = outcome == QueueCallOutcome.Answered ? AgentNames[random.Next(AgentNames.Length)] : null,
                TalkTime = random.Next(10) == 0 ? null : TimeSpan.FromSeconds(random.Next(0, 900)),
                WrapUpTime = TimeSpan.FromSeconds(random.Next(0, 60)),
                CallbackCompletedAt = random.Next(2) == 0 ? entered.AddHours(1) : null,
            };
        }

        return facts;
    }

    /// <summary>Back-to-back spans per agent from before the range to after now, the last one open.</summary>
    private static List<AgentStateSpan> RandomSpans(int seed, out double expectedStaffedSeconds)
    {
        var random = new Random(seed);
        var spans = new List<AgentStateSpan>();
        expectedStaffedSeconds = 0;
        foreach (string agent in AgentNames)
        {
            DateTimeOffset t = From.AddHours(-2);
            while (t < Now.AddHours(1))
            {
                var state = (AgentActivity)random.Next(0, 6);
                DateTimeOffset end = t.AddSeconds(random.Next(1, 4 * 3600));
                bool open = end >= Now.AddHours(1);
                spans.Add(new AgentStateSpan { Agent = agent, State = state, From = t, To = open ? null : end, Reason = Reasons[random.Next(3)] });
                if (state != AgentActivity.LoggedOut)
                {
                    DateTimeOffset counted = open || end > Now ? Now : end;
                    DateTimeOffset start = t < From ? From : t;
                    expectedStaffedSeconds += Math.Max(0, (counted - start).TotalSeconds);
                }

                t = end;
            }
        }

        return spans;
    }

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property Call_counts_add_up_in_every_row_and_in_the_totals() =>
        Prop.ForAll(Inputs, input =>
        {
            QueueCallFact[] facts = RandomFacts(input.Seed, input.Count);
            StatisticsAccumulator acc = NewAccumulator();
            foreach (QueueCallFact fact in facts)
            {
                acc.AddCall(fact);
            }

            StatisticsReport report = acc.Build();
            Assert.Equal(100 + 48, report.Intervals.Count);
            foreach (QueueIntervalStats r in report.Queues.Concat(report.QueueTotals))
            {
                Assert.Equal(r.Offered, r.Answered + r.Abandoned + r.Overflowed + r.CallbacksRequested + r.Waiting + r.Other);
                Assert.InRange(r.ShortAbandoned, 0, r.Abandoned);
                Assert.InRange(r.CallbacksCompleted, 0, r.CallbacksRequested);
                Assert.InRange(r.AnsweredWithinThreshold, 0, r.Answered);
                Assert.InRange(r.AbandonedWithinThreshold, r.ShortAbandoned, r.Abandoned);
                foreach (double? ratio in new[] { r.ServiceLevel, r.ServiceLevelAnsweredOnly, r.ServiceLevelAbandonsMet, r.AbandonRate })
                {
                    Assert.True(ratio is null or >= 0 and <= 1, $"ratio {ratio}");
                }

                Assert.Equal(r.Offered - r.ShortAbandoned - r.Waiting == 0, r.ServiceLevel is null);
            }

            foreach (QueueIntervalStats total in report.QueueTotals)
            {
                QueueIntervalStats[] rows = [.. report.Queues.Where(q => q.Queue == total.Queue)];
                Assert.Equal(rows.Sum(r => r.Offered), total.Offered);
                Assert.Equal(rows.Sum(r => r.AnsweredWithinThreshold), total.AnsweredWithinThreshold);
                Assert.Equal(rows.Sum(r => r.HandleSeconds), total.HandleSeconds, 6);
                Assert.Equal(rows.Max(r => r.LongestWaitSeconds), total.LongestWaitSeconds);
            }

            int inRange = facts.Count(f => f.EnteredAt >= From && f.EnteredAt < To);
            int unusable = facts.Count(f => f.EnteredAt >= From && f.EnteredAt < To && f.OutcomeAt is null
                && f.Outcome is not (QueueCallOutcome.Waiting or QueueCallOutcome.Other));
            Assert.Equal(inRange - unusable, report.QueueTotals.Sum(t => t.Offered));
            Assert.Equal((facts.Length - inRange, (long)unusable), (report.CallsOutsideRange, report.CallsRejected));
            Assert.Equal(report.QueueTotals.Sum(t => t.Answered), report.AgentTotals.Sum(a => a.Handled));
        });

    [FsCheck.Xunit.Property(MaxTest = 30)]
    public Property Input_order_does_not_matter() =>
        Prop.ForAll(Inputs, input =>
        {
            QueueCallFact[] facts = RandomFacts(input.Seed, input.Count);
            List<AgentStateSpan> spans = RandomSpans(input.Seed, out _);
            StatisticsAccumulator inOrder = NewAccumulator(), shuffled = NewAccumulator();
            foreach (QueueCallFact fact in facts)
            {
                inOrder.AddCall(fact);
            }

            foreach (AgentStateSpan span in spans)
            {
                inOrder.AddAgentSpan(span);
            }

            var random = new Random(input.Seed + 1);
            foreach (QueueCallFact fact in facts.OrderBy(_ => random.Next()))
            {
                shuffled.AddCall(fact);
            }

            foreach (AgentStateSpan span in spans.OrderBy(_ => random.Next()))
            {
                shuffled.AddAgentSpan(span);
            }

            StatisticsReport a = inOrder.Build(), b = shuffled.Build();
            Assert.Equal(a.Queues, b.Queues);
            Assert.Equal(a.QueueTotals, b.QueueTotals);
            Assert.Equal(a.Agents.Select(r => (r.Agent, r.Interval, r.StaffedSeconds, r.TalkSeconds, r.PausedSeconds, r.Handled)),
                b.Agents.Select(r => (r.Agent, r.Interval, r.StaffedSeconds, r.TalkSeconds, r.PausedSeconds, r.Handled)));
        });

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property Every_staffed_second_is_counted_once() =>
        Prop.ForAll(Inputs, input =>
        {
            List<AgentStateSpan> spans = RandomSpans(input.Seed, out double expected);
            StatisticsAccumulator acc = NewAccumulator();
            foreach (AgentStateSpan span in spans)
            {
                acc.AddAgentSpan(span);
            }

            StatisticsReport report = acc.Build();
            Assert.Equal(expected, report.AgentTotals.Sum(t => t.StaffedSeconds), 6);
            foreach (AgentIntervalStats r in report.Agents.Concat(report.AgentTotals))
            {
                Assert.Equal(r.StaffedSeconds, r.AvailableSeconds + r.RingingSeconds + r.TalkSeconds + r.WrapUpSeconds + r.PausedSeconds, 6);
                Assert.Equal(r.PausedSeconds, r.PausedSecondsByReason.Values.Sum(), 6);
                Assert.True(r.StaffedSeconds <= r.Interval.LengthSeconds + 1e-6);
                Assert.True(r.Occupancy is null or >= 0 and <= 1);
            }
        });
}
