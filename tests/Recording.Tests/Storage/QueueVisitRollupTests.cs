using Telephony.Pbx.Contracts;
using System.Text.Json;
using Dapper;
using System.Data.Common;
using Telephony.Recording.Statistics;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

/// <summary>
/// The queue visit rollup (schema 8, kept by <see cref="QueueVisitRollup"/>) gives exactly the report the visits themselves give: a seeded mix of visits
/// (every outcome, waits around the thresholds, missing times and handle times, an empty queue name, visits updated
/// and deleted after the fact) read through <see cref="StatisticsStore"/> (whole buckets from the rollup, ragged ends
/// and buckets counted with other thresholds from the visits) equals an accumulator fed every visit with
/// <see cref="StatisticsAccumulator.AddCall"/>, field by field, for 15 m, 60 m and day intervals.
/// </summary>
public class QueueVisitRollupTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly DateTimeOffset Day = new(2026, 11, 24, 0, 0, 0, TimeSpan.FromHours(1));
    private static readonly string[] Outcomes = ["Answered", "Abandoned", "Overflowed", "CallbackRequested", "Other", "Bogus"];

    [Theory]
    [InlineData(StorageProvider.Sqlite, IntervalLength.Minutes15, 0)]
    [InlineData(StorageProvider.Sqlite, IntervalLength.Minutes60, 0)]
    [InlineData(StorageProvider.Sqlite, IntervalLength.Day, 0)]
    [InlineData(StorageProvider.Sqlite, IntervalLength.Minutes15, 7)] // a range off the quarter hours: raw ends, rollup in the middle
    [PostgresData(IntervalLength.Minutes15, 0)]
    [PostgresData(IntervalLength.Day, 0)]
    [PostgresData(IntervalLength.Minutes15, 7)]
    public async Task The_rollup_report_equals_the_visit_by_visit_report(StorageProvider provider, IntervalLength interval, int offsetMinutes)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        await SeedAsync(db.Database, seed: 12);
        DateTimeOffset from = Day.AddMinutes(offsetMinutes), to = Day.AddDays(1).AddMinutes(offsetMinutes);
        if (interval == IntervalLength.Day)
        {
            (from, to) = (Day, Day.AddDays(1));
        }

        var thresholds = new Dictionary<string, QueueThresholds> { ["support"] = new(20, 5), ["sales"] = new(30, 0) };
        Assert.Equal(2, await new StatisticsStore(db.Database).SetThresholdsAsync(thresholds));
        await AssertSameAsync(db.Database, interval, from, to, thresholds, queue: null);
        await AssertSameAsync(db.Database, interval, from, to, thresholds, queue: "sales");

        // The report asks other thresholds than the rollup's: those buckets are read visit by visit, still exact.
        var other = new Dictionary<string, QueueThresholds> { ["support"] = new(10, 2), ["sales"] = new(30, 0) };
        await AssertSameAsync(db.Database, interval, from, to, other, queue: null);
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task New_thresholds_recount_the_rollup(StorageProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        await SeedAsync(db.Database, seed: 5);
        var store = new StatisticsStore(db.Database);
        var first = new Dictionary<string, QueueThresholds> { ["support"] = new(20, 5) };
        Assert.Equal(1, await store.SetThresholdsAsync(first));
        Assert.Equal(0, await store.SetThresholdsAsync(first));
        var second = new Dictionary<string, QueueThresholds> { ["support"] = new(45, 10) };
        Assert.Equal(1, await store.SetThresholdsAsync(second));
        await using DbConnection connection = await db.Database.OpenAsync();
        Assert.Equal(45000, await connection.ExecuteScalarAsync<long>("SELECT min(service_level_ms) FROM queue_visit_rollup WHERE queue = 'support';"));
        await AssertSameAsync(db.Database, IntervalLength.Minutes60, Day, Day.AddDays(1), second, queue: null);
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Concurrent_visits_in_one_bucket_keep_the_rollup_exact(StorageProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var events = new QueueEventStore(db.Database);
        DateTimeOffset at = Day.AddHours(10);
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            await events.AppendAsync("p" + i, "support", QueueEventKind.Entered, at.AddSeconds(i));
            await events.AppendAsync("p" + i, "support", QueueEventKind.Answered, at.AddSeconds(i + 10), agent: "10" + (i % 4));
        })));

        await using DbConnection connection = await db.Database.OpenAsync();
        Assert.Equal((24L, 24L), await connection.QuerySingleAsync<(long, long)>(
            "SELECT sum(offered), sum(answered) FROM queue_visit_rollup WHERE queue = 'support';"));
        Assert.Equal(24L, await connection.ExecuteScalarAsync<long>("SELECT sum(handled) FROM agent_handled_rollup;"));
    }

    private static async Task AssertSameAsync(Database database, IntervalLength interval, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyDictionary<string, QueueThresholds> thresholds, string? queue)
    {
        var options = new StatisticsOptions
        {
            TimeZone = Berlin, Interval = interval, From = from, To = to, Now = Day.AddDays(2),
            Queues = queue is null ? thresholds : thresholds.Where(t => t.Key == queue).ToDictionary(),
        };
        var viaStore = new StatisticsAccumulator(options);
        await new StatisticsStore(database).ReadQueueVisitsAsync(viaStore, from, to, queue);
        var direct = new StatisticsAccumulator(options);
        await using (DbConnection connection = await database.OpenAsync())
        {
            var rows = await connection.QueryAsync<(string Queue, long EnteredAt, string? Outcome, long? OutcomeAt, string? Agent, long? TalkMs, long HoldMs, long? WrapUpMs)>(
                "SELECT queue, entered_at, outcome, outcome_at, agent, talk_ms, hold_ms, wrap_up_ms FROM queue_visits WHERE entered_at >= @f AND entered_at < @t AND (@q IS NULL OR queue = @q);",
                new { f = from.ToUnixTimeMilliseconds(), t = to.ToUnixTimeMilliseconds(), q = queue });
            foreach (var r in rows)
            {
                direct.AddCall(new QueueCallFact
                {
                    Queue = r.Queue,
                    EnteredAt = DateTimeOffset.FromUnixTimeMilliseconds(r.EnteredAt),
                    Outcome = r.Outcome switch
                    {
                        "Answered" => QueueCallOutcome.Answered, "Abandoned" => QueueCallOutcome.Abandoned,
                        "Overflowed" => QueueCallOutcome.Overflowed, "CallbackRequested" => QueueCallOutcome.CallbackRequested,
                        "Other" => QueueCallOutcome.Other, _ => QueueCallOutcome.Waiting,
                    },
                    OutcomeAt = r.OutcomeAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
                    Agent = r.Agent,
                    TalkTime = r.TalkMs is { } talk ? TimeSpan.FromMilliseconds(talk) : null,
                    HoldTime = TimeSpan.FromMilliseconds(r.HoldMs),
                    WrapUpTime = r.WrapUpMs is { } wrap ? TimeSpan.FromMilliseconds(wrap) : null,
                });
            }
        }

        StatisticsReport expected = direct.Build(), actual = viaStore.Build();
        Assert.True(expected.Queues.Sum(q => q.Offered) > 50, "too few visits in the range to prove anything");
        Assert.Equal(Json(expected.Queues), Json(actual.Queues));
        Assert.Equal(Json(expected.QueueTotals), Json(actual.QueueTotals));
        Assert.Equal(Json(expected.Agents.Select(a => (a.Agent, a.Interval.Start, a.Handled))), Json(actual.Agents.Select(a => (a.Agent, a.Interval.Start, a.Handled))));
        Assert.Equal(expected.CallsRejected, actual.CallsRejected);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, new JsonSerializerOptions { IncludeFields = true });

    /// <summary>About 600 visits over the day and the edges around it, then some updated (handled later, queue moved,
    /// outcome changed, waits shortened) and some deleted: <see cref="QueueVisitRollup"/> keeps the rollup in step with each change.</summary>
    private static async Task SeedAsync(Database database, int seed)
    {
        var random = new Random(seed);
        await using DbConnection connection = await database.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        long start = Day.AddHours(-1).ToUnixTimeMilliseconds();
        for (int i = 0; i < 600; i++)
        {
            long entered = start + random.NextInt64(26L * 3600 * 1000);
            string? outcome = random.Next(8) == 0 ? null : Outcomes[random.Next(Outcomes.Length)];
            long wait = random.Next(4) switch { 0 => random.Next(0, 6) * 1000, 1 => 20000 + random.Next(-1, 2), 2 => random.Next(60000), _ => random.Next(600000) };
            long? outcomeAt = outcome is null || random.Next(15) == 0 ? null : entered + wait;
            bool answered = outcome == "Answered";
            await QueueVisitRollup.InsertAsync(connection, transaction,
                "(call_id, queue, entered_at, outcome, outcome_at, agent, talk_ms, hold_ms, wrap_up_ms) VALUES (@c, @q, @e, @o, @oa, @a, @t, @h, @w)",
                new
                {
                    c = "c" + i, q = random.Next(40) == 0 ? "" : random.Next(3) == 0 ? "sales" : "support", e = entered, o = outcome, oa = outcomeAt,
                    a = answered ? "10" + random.Next(1, 5) : null, t = answered && random.Next(5) > 0 ? random.Next(300000) : (long?)null,
                    h = random.Next(5) == 0 ? random.Next(30000) : 0, w = answered && random.Next(4) > 0 ? random.Next(60000) : (long?)null,
                });
        }

        await QueueVisitRollup.UpdateAsync(connection, transaction, "id % 7 = 0 AND outcome = 'Answered'", "talk_ms = 61000, wrap_up_ms = 9000", null);
        await QueueVisitRollup.UpdateAsync(connection, transaction, "id % 11 = 0", "queue = 'sales'", null);
        await QueueVisitRollup.UpdateAsync(connection, transaction, "id % 13 = 0", "entered_at = entered_at + 1800000", null);
        await QueueVisitRollup.UpdateAsync(connection, transaction, "id % 17 = 0", "outcome = 'Abandoned', outcome_at = entered_at + 3000", null);
        await QueueVisitRollup.UpdateAsync(connection, transaction, "id % 23 = 0", "outcome_at = entered_at", null); // the longest wait shrinks
        await QueueVisitRollup.DeleteAsync(connection, transaction, "id % 19 = 0", null);
        transaction.Commit();
    }
}
