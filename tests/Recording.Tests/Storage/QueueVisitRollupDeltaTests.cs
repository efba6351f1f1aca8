using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Statistics;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

/// <summary>
/// The delta upserts of <see cref="QueueVisitRollup"/> (schema 10) keep <c>queue_visit_rollup</c> and
/// <c>agent_handled_rollup</c> exactly as schema 8's recounting triggers did (<see cref="RollupOracle"/>), change by
/// change: a visit that changes outcome, bucket or queue, an overflow, a callback completed, a longest wait that shrinks,
/// a deleted visit, new thresholds. Plus <see cref="QueueVisitContribution.Of"/> on its own.
/// </summary>
public class QueueVisitRollupDeltaTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_visit_answered_within_the_service_level_counts_answered_within_and_its_handle_time()
    {
        var visit = new QueueVisitRow
        {
            Queue = "support", EnteredAt = 1_800_000 + 5, Outcome = "Answered", OutcomeAt = 1_800_000 + 20_005, Agent = "1001",
            TalkMs = 60_000, HoldMs = 5_000, WrapUpMs = 10_000,
        };
        QueueVisitContribution c = QueueVisitContribution.Of(visit, 20_000, 5_000);
        Assert.Equal((1_800_000L, 1L, 1L, 20_000L, 1L, 1L, 75_000L, 20_000L, "1001"),
            (c.Bucket, c.Offered, c.Answered, c.AnsweredWaitMs, c.AnsweredWithin, c.HandledCount, c.HandleMs, c.LongestWaitMs!.Value, c.HandledBy));
        Assert.Equal(0, QueueVisitContribution.Of(visit, 19_999, 5_000).AnsweredWithin);
        Assert.Equal((0L, 0L), (QueueVisitContribution.Of(visit with { WrapUpMs = null }, 20_000, 5_000).HandledCount,
            QueueVisitContribution.Of(visit with { WrapUpMs = null }, 20_000, 5_000).HandleMs));
    }

    [Fact]
    public void Short_abandons_need_a_positive_threshold_and_unusable_visits_are_rejected()
    {
        var abandon = new QueueVisitRow { Queue = "q", EnteredAt = 0, Outcome = "Abandoned", OutcomeAt = 5_000 };
        Assert.Equal((1L, 1L, 1L), (QueueVisitContribution.Of(abandon, 20_000, 5_000).Abandoned,
            QueueVisitContribution.Of(abandon, 20_000, 5_000).ShortAbandoned, QueueVisitContribution.Of(abandon, 20_000, 5_000).AbandonedWithin));
        Assert.Equal(0, QueueVisitContribution.Of(abandon, 20_000, 0).ShortAbandoned);
        Assert.Equal(1, QueueVisitContribution.Of(abandon with { Queue = "" }, 20_000, 5_000).Rejected);
        Assert.Equal(1, QueueVisitContribution.Of(abandon with { OutcomeAt = null }, 20_000, 5_000).Rejected);
        QueueVisitContribution other = QueueVisitContribution.Of(abandon with { Outcome = "Other", OutcomeAt = null }, 20_000, 5_000);
        Assert.Equal((1L, 1L, 0L, (long?)null), (other.Offered, other.Other, other.WaitCount, other.LongestWaitMs));
        QueueVisitContribution callback = QueueVisitContribution.Of(abandon with { Outcome = "CallbackRequested", CallbackCompletedAt = 9 }, 20_000, 5_000);
        Assert.Equal((1L, 1L, 0L), (callback.CallbacksRequested, callback.CallbacksCompleted, callback.Abandoned));
    }

    [Fact]
    public async Task A_call_through_the_stores_keeps_the_rollup_exact_at_every_step()
    {
        using var db = await TestDatabase.CreateAsync();
        var events = new QueueEventStore(db.Database);
        var agents = new AgentStateStore(db.Database);
        await agents.AppendAsync("1001", AgentActivity.Available, null, T0);
        await events.AppendAsync("c1", "support", QueueEventKind.Entered, T0.AddSeconds(1));
        await RollupOracle.AssertExactAsync(db.Database);
        await agents.AppendAsync("1001", AgentActivity.Ringing, null, T0.AddSeconds(3));
        await events.AppendAsync("c1", "support", QueueEventKind.Answered, T0.AddSeconds(6), agent: "1001");
        await agents.AppendAsync("1001", AgentActivity.OnCall, null, T0.AddSeconds(6));
        await RollupOracle.AssertExactAsync(db.Database);
        await agents.AppendAsync("1001", AgentActivity.WrapUp, null, T0.AddSeconds(66));
        await RollupOracle.AssertExactAsync(db.Database);
        await agents.AppendAsync("1001", AgentActivity.Available, null, T0.AddSeconds(76));
        await RollupOracle.AssertExactAsync(db.Database);
        (long Handled, long HandleMs) row = await RowAsync(db, "SELECT handled_count, handle_ms FROM queue_visit_rollup WHERE queue = 'support';");
        Assert.Equal((1L, 70_000L), row);
    }

    [Fact]
    public async Task A_visit_closed_as_other_then_abandoned_changes_outcome_and_a_shorter_longest_wait_is_recounted()
    {
        using var db = await TestDatabase.CreateAsync();
        var events = new QueueEventStore(db.Database);
        await events.AppendAsync("c1", "support", QueueEventKind.Entered, T0);
        await events.AppendAsync("c2", "support", QueueEventKind.Entered, T0.AddSeconds(1));
        Assert.Equal(1, await events.CloseVisitsAsync("c1", T0.AddSeconds(40)));       // the call ended first
        await events.AppendAsync("c1", "support", QueueEventKind.Abandoned, T0.AddSeconds(41)); // then its abandon came
        await RollupOracle.AssertExactAsync(db.Database);
        await events.AppendAsync("c2", "support", QueueEventKind.Abandoned, T0.AddSeconds(3));
        await RollupOracle.AssertExactAsync(db.Database);

        // The longest wait shrinks (41 s -> 2 s): recounted from the bucket's other visits.
        await using (DbConnection connection = await db.Database.OpenAsync())
        await using (var transaction = connection.BeginTransaction())
        {
            await QueueVisitRollup.UpdateAsync(connection, transaction, "call_id = 'c1'", "outcome_at = entered_at + 2000", null);
            transaction.Commit();
        }

        await RollupOracle.AssertExactAsync(db.Database);
        Assert.Equal((2L, 2L), await RowAsync(db, "SELECT abandoned, longest_wait_ms / 1000 FROM queue_visit_rollup;"));
    }

    [Fact]
    public async Task An_overflow_counts_in_both_queues_and_a_moved_visit_leaves_its_old_bucket()
    {
        using var db = await TestDatabase.CreateAsync();
        var events = new QueueEventStore(db.Database);
        await events.AppendAsync("c1", "sales", QueueEventKind.Entered, T0);
        await events.AppendAsync("c1", "sales", QueueEventKind.Overflowed, T0.AddSeconds(30));
        await events.AppendAsync("c1", "support", QueueEventKind.Entered, T0.AddSeconds(30));
        await events.AppendAsync("c1", "support", QueueEventKind.Answered, T0.AddSeconds(35), agent: "1002");
        await RollupOracle.AssertExactAsync(db.Database, minimumRows: 2);

        // Moved to another bucket and queue (not a production path, but the deltas allow it): the old row goes.
        await using (DbConnection connection = await db.Database.OpenAsync())
        await using (var transaction = connection.BeginTransaction())
        {
            await QueueVisitRollup.UpdateAsync(connection, transaction, "call_id = 'c1' AND queue = 'support'",
                "queue = 'other', entered_at = entered_at + 3600000, outcome_at = outcome_at + 3600000", null);
            transaction.Commit();
        }

        await RollupOracle.AssertExactAsync(db.Database, minimumRows: 2);
        await using DbConnection check = await db.Database.OpenAsync();
        Assert.Equal(["other", "sales"], (await check.QueryAsync<string>("SELECT queue FROM queue_visit_rollup ORDER BY queue;")).AsList());
        Assert.Equal(T0.AddHours(1).ToUnixTimeMilliseconds(), await check.ExecuteScalarAsync<long>("SELECT bucket FROM agent_handled_rollup;"));
    }

    [Fact]
    public async Task A_completed_callback_and_new_thresholds_keep_the_rollup_exact()
    {
        using var db = await TestDatabase.CreateAsync();
        var callbacks = new CallbackStore(db.Database);
        var events = new QueueEventStore(db.Database);
        await events.AppendAsync("c9", "support", QueueEventKind.Entered, T0);
        await events.AppendAsync("c9", "support", QueueEventKind.Abandoned, T0.AddSeconds(12));
        var web = new CallbackRecord { Id = "cb1", Queue = "support", Number = "0800", ArrivedAt = T0, RequestedAt = T0, Source = "web" };
        Assert.True(await callbacks.SaveAsync(web, ownVisit: true));
        await RollupOracle.AssertExactAsync(db.Database);
        Assert.True(await callbacks.CloseAsync("cb1", "Completed", "answered", T0.AddMinutes(5)));
        await RollupOracle.AssertExactAsync(db.Database);
        Assert.Equal((1L, 1L), await RowAsync(db, "SELECT callbacks_requested, callbacks_completed FROM queue_visit_rollup;"));

        var store = new StatisticsStore(db.Database);
        Assert.Equal(1, await store.SetThresholdsAsync(new Dictionary<string, QueueThresholds> { ["support"] = new(10, 15) }));
        await RollupOracle.AssertExactAsync(db.Database);
        Assert.Equal((1L, 0L), await RowAsync(db, "SELECT short_abandoned, abandoned_within FROM queue_visit_rollup;"));
        await events.AppendAsync("c10", "support", QueueEventKind.Entered, T0.AddSeconds(20));
        await events.AppendAsync("c10", "support", QueueEventKind.Answered, T0.AddSeconds(25), agent: "1001");
        await RollupOracle.AssertExactAsync(db.Database);
    }

    [Fact]
    public async Task The_ended_calls_left_open_by_a_crash_are_closed_with_their_rollup()
    {
        using var db = await TestDatabase.CreateAsync();
        var events = new QueueEventStore(db.Database);
        await events.AppendAsync("c1", "support", QueueEventKind.Entered, T0);
        await events.AppendAsync("c2", "support", QueueEventKind.Entered, T0);
        await using (DbConnection connection = await db.Database.OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO calls (id, caller, dialed, started_at, ended_at) VALUES ('c1', 'a', 'b', @s, @e);",
                new { s = T0.ToUnixTimeMilliseconds(), e = T0.AddSeconds(9).ToUnixTimeMilliseconds() });
        }

        Assert.Equal(1, await events.CloseVisitsOfEndedCallsAsync());
        await RollupOracle.AssertExactAsync(db.Database);
        Assert.Equal((1L, 1L), await RowAsync(db, "SELECT other, waiting FROM queue_visit_rollup;"));
    }

    private static async Task<(long, long)> RowAsync(TestDatabase db, string sql)
    {
        await using DbConnection connection = await db.Database.OpenAsync();
        return await connection.QuerySingleAsync<(long, long)>(sql);
    }
}
