using Telephony.Pbx.Contracts;
using Telephony.Recording.Statistics;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

/// <summary>The statistics input as stored: queue visits kept from queue events, the agent state history with its
/// 15-minute rollup, and the reader that feeds both to the accumulator (rollup in the middle, raw history at the
/// ragged ends, open states cut at now).</summary>
public class StatisticsStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Queue_events_make_visits_and_the_agent_history_gives_talk_and_wrap_up(StorageProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var events = new QueueEventStore(db.Database);
        var agents = new AgentStateStore(db.Database);
        await agents.AppendAsync("1001", AgentActivity.Available, null, T0);
        await events.AppendAsync("c1", "support", QueueEventKind.Entered, T0.AddSeconds(10));
        await agents.AppendAsync("1001", AgentActivity.Ringing, null, T0.AddSeconds(10));
        await agents.AppendAsync("1001", AgentActivity.OnCall, null, T0.AddSeconds(14));
        await events.AppendAsync("c1", "support", QueueEventKind.Answered, T0.AddSeconds(14), "1001");
        await agents.AppendAsync("1001", AgentActivity.WrapUp, null, T0.AddSeconds(134));
        await agents.AppendAsync("1001", AgentActivity.Available, null, T0.AddSeconds(144));
        // c2 abandons after its call record closed it as Other; c3 overflows; c4 is still waiting.
        await events.AppendAsync("c2", "support", QueueEventKind.Entered, T0.AddSeconds(20));
        Assert.Equal(1, await events.CloseVisitsAsync("c2", T0.AddSeconds(23)));
        await events.AppendAsync("c2", "support", QueueEventKind.Abandoned, T0.AddSeconds(23));
        await events.AppendAsync("c3", "support", QueueEventKind.Entered, T0.AddSeconds(30));
        await events.AppendAsync("c3", "support", QueueEventKind.Overflowed, T0.AddSeconds(330));
        await events.AppendAsync("c4", "sales", QueueEventKind.Entered, T0.AddSeconds(40));

        var report = await ReportAsync(db, T0, T0.AddHours(1), T0.AddMinutes(10));
        QueueIntervalStats support = Assert.Single(report.QueueTotals, q => q.Queue == "support");
        Assert.Equal((3, 1, 1, 1, 1), (support.Offered, support.Answered, support.Abandoned, support.ShortAbandoned, support.Overflowed));
        Assert.Equal(4, support.AsaSeconds);
        Assert.Equal(130, support.AhtSeconds); // 120 s on call + 10 s wrap-up
        Assert.Equal(300, support.LongestWaitSeconds);
        QueueIntervalStats sales = Assert.Single(report.QueueTotals, q => q.Queue == "sales");
        Assert.Equal(1, sales.Waiting);
        Assert.Equal("c4", Assert.Single(await new StatisticsStore(db.Database).WaitingAsync()).CallId);
        AgentIntervalStats agent = Assert.Single(report.AgentTotals);
        Assert.Equal((1, 120.0, 10.0, 4.0), (agent.Handled, agent.TalkSeconds, agent.WrapUpSeconds, agent.RingingSeconds));
        Assert.Equal(600 - 134, agent.AvailableSeconds); // 10 s before the call, 456 s after it, cut at now
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Rollup_and_raw_history_give_the_same_agent_time_as_the_spans_themselves(StorageProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var agents = new AgentStateStore(db.Database);
        var random = new Random(7);
        var spans = new List<AgentStateSpan>();
        foreach (string agent in new[] { "1001", "1002" })
        {
            DateTimeOffset t = T0.AddSeconds(random.Next(0, 300));
            AgentActivity previous = AgentActivity.LoggedOut;
            string? previousReason = null;
            DateTimeOffset since = t;
            for (var i = 0; i < 200; i++)
            {
                var state = (AgentActivity)random.Next(0, 6);
                string? reason = state == AgentActivity.Paused ? (random.Next(2) == 0 ? "lunch" : "training") : null;
                await agents.AppendAsync(agent, state, reason, t);
                if (i > 0)
                {
                    spans.Add(new AgentStateSpan { Agent = agent, State = previous, Reason = previousReason, From = since, To = t });
                }

                (previous, previousReason, since) = (state, reason, t);
                t = t.AddMilliseconds(random.Next(1_000, 600_000));
            }

            spans.Add(new AgentStateSpan { Agent = agent, State = previous, Reason = previousReason, From = since, To = null });
        }

        // An unaligned range (ragged ends from the raw history), cut at an unaligned now.
        DateTimeOffset from = T0.AddMinutes(7).AddSeconds(13), to = T0.AddHours(30), now = T0.AddHours(20).AddSeconds(17);
        StatisticsReport stored = await ReportAsync(db, from, to, now);
        var expected = new StatisticsAccumulator(Options(from, to, now));
        foreach (AgentStateSpan span in spans)
        {
            expected.AddAgentSpan(span);
        }

        StatisticsReport direct = expected.Build();
        Assert.Equal(direct.Agents.Count, stored.Agents.Count);
        for (var i = 0; i < direct.Agents.Count; i++)
        {
            AgentIntervalStats a = direct.Agents[i], b = stored.Agents[i];
            Assert.Equal((a.Agent, a.Interval.Index), (b.Agent, b.Interval.Index));
            Assert.Equal(a.AvailableSeconds, b.AvailableSeconds, 3);
            Assert.Equal(a.TalkSeconds, b.TalkSeconds, 3);
            Assert.Equal(a.WrapUpSeconds, b.WrapUpSeconds, 3);
            Assert.Equal(a.RingingSeconds, b.RingingSeconds, 3);
            Assert.Equal(a.PausedSeconds, b.PausedSeconds, 3);
            Assert.Equal(a.PausedSecondsByReason.OrderBy(p => p.Key), b.PausedSecondsByReason.OrderBy(p => p.Key));
        }
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task A_restart_closes_open_states_as_interrupted_at_the_last_activity(StorageProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var agents = new AgentStateStore(db.Database);
        await agents.AppendAsync("1001", AgentActivity.Available, null, T0);
        await agents.AppendAsync("1002", AgentActivity.Paused, "lunch", T0.AddMinutes(1));
        await agents.AppendAsync("1003", AgentActivity.Available, null, T0);
        await agents.AppendAsync("1003", AgentActivity.LoggedOut, null, T0.AddMinutes(2));

        DateTimeOffset? last = await agents.LastActivityAsync();
        Assert.Equal(T0.AddMinutes(2), last);
        Assert.Equal(["1001", "1002"], await agents.CloseOpenAsync(last!.Value, AgentStateStore.InterruptedReason));
        var current = await agents.CurrentAsync();
        Assert.All(current, a => Assert.Equal(AgentActivity.LoggedOut, a.State));
        Assert.Equal(AgentStateStore.InterruptedReason, current.Single(a => a.Agent == "1001").Reason);

        // Days later, nothing is open: the agents' time stops at the interruption.
        StatisticsReport report = await ReportAsync(db, T0, T0.AddDays(1), T0.AddDays(3));
        Assert.Equal(120, report.AgentTotals.Single(a => a.Agent == "1001").AvailableSeconds);
        Assert.Equal(60, report.AgentTotals.Single(a => a.Agent == "1002").PausedSecondsByReason["lunch"]);
    }

    private static StatisticsOptions Options(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now) => new()
    {
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
        Interval = IntervalLength.Minutes15,
        From = from,
        To = to,
        Now = now,
    };

    private static async Task<StatisticsReport> ReportAsync(TestDatabase db, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var accumulator = new StatisticsAccumulator(Options(from, to, now));
        var store = new StatisticsStore(db.Database);
        await store.ReadQueueVisitsAsync(accumulator, from, to);
        await store.ReadAgentTimeAsync(accumulator, from, to, now);
        return accumulator.Build();
    }
}
