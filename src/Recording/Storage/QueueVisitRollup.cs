using System.Data.Common;
using Dapper;

namespace Telephony.Recording.Storage;

/// <summary>
/// Keeps the queue statistics rollup (<c>queue_visit_rollup</c>, <c>agent_handled_rollup</c>; docs/metrics.md §7) in
/// step with <c>queue_visits</c> from the application, in the caller's transaction: every write to a visit goes through
/// <see cref="InsertAsync"/> or <see cref="UpdateAsync"/>, which read the row before and after and move its
/// <see cref="QueueVisitContribution"/> with delta upserts (<c>INSERT … ON CONFLICT … DO UPDATE SET x = x + excluded.x</c>,
/// plain SQL that PostgreSQL takes too). Replaces the recounting triggers of schema 8 (dropped by schema 10): a change
/// costs a few indexed statements instead of a recount of its 15-minute bucket.
/// </summary>
internal static class QueueVisitRollup
{
    private const string UpsertSql =
        """
        INSERT INTO queue_visit_rollup (bucket, queue, service_level_ms, short_abandon_ms, offered, waiting, answered,
            answered_wait_ms, answered_within, handled_count, handle_ms, abandoned, short_abandoned, abandoned_within,
            overflowed, callbacks_requested, callbacks_completed, other, wait_count, wait_ms, longest_wait_ms, rejected)
        VALUES (@Bucket, @Queue, @ServiceLevelMs, @ShortAbandonMs, @Offered, @Waiting, @Answered, @AnsweredWaitMs,
            @AnsweredWithin, @HandledCount, @HandleMs, @Abandoned, @ShortAbandoned, @AbandonedWithin, @Overflowed,
            @CallbacksRequested, @CallbacksCompleted, @Other, @WaitCount, @WaitMs, @LongestWaitMs, @Rejected)
        ON CONFLICT (bucket, queue) DO UPDATE SET
            offered = queue_visit_rollup.offered + excluded.offered,
            waiting = queue_visit_rollup.waiting + excluded.waiting,
            answered = queue_visit_rollup.answered + excluded.answered,
            answered_wait_ms = queue_visit_rollup.answered_wait_ms + excluded.answered_wait_ms,
            answered_within = queue_visit_rollup.answered_within + excluded.answered_within,
            handled_count = queue_visit_rollup.handled_count + excluded.handled_count,
            handle_ms = queue_visit_rollup.handle_ms + excluded.handle_ms,
            abandoned = queue_visit_rollup.abandoned + excluded.abandoned,
            short_abandoned = queue_visit_rollup.short_abandoned + excluded.short_abandoned,
            abandoned_within = queue_visit_rollup.abandoned_within + excluded.abandoned_within,
            overflowed = queue_visit_rollup.overflowed + excluded.overflowed,
            callbacks_requested = queue_visit_rollup.callbacks_requested + excluded.callbacks_requested,
            callbacks_completed = queue_visit_rollup.callbacks_completed + excluded.callbacks_completed,
            other = queue_visit_rollup.other + excluded.other,
            wait_count = queue_visit_rollup.wait_count + excluded.wait_count,
            wait_ms = queue_visit_rollup.wait_ms + excluded.wait_ms,
            longest_wait_ms = CASE WHEN excluded.longest_wait_ms > queue_visit_rollup.longest_wait_ms
                                   THEN excluded.longest_wait_ms ELSE queue_visit_rollup.longest_wait_ms END,
            rejected = queue_visit_rollup.rejected + excluded.rejected;
        """;

    /// <summary>Inserts a visit (<paramref name="columnsAndValues"/>: <c>(col, …) VALUES (@…, …)</c>) and counts it.</summary>
    public static async Task<long> InsertAsync(DbConnection connection, DbTransaction transaction, string columnsAndValues, object? args)
    {
        await LockAsync(connection, transaction).ConfigureAwait(false);
        QueueVisitRow after = await connection.QuerySingleAsync<QueueVisitRow>(
            $"INSERT INTO queue_visits {columnsAndValues} RETURNING {QueueVisitRow.Columns};", args, transaction).ConfigureAwait(false);
        await ApplyAsync(connection, transaction, null, after).ConfigureAwait(false);
        return after.Id;
    }

    /// <summary>Sets <paramref name="set"/> on every visit matching <paramref name="where"/> and moves each one's
    /// contribution. Returns how many visits changed.</summary>
    public static async Task<int> UpdateAsync(DbConnection connection, DbTransaction transaction, string where, string set, object? args)
    {
        await LockAsync(connection, transaction).ConfigureAwait(false);
        List<QueueVisitRow> before = (await connection.QueryAsync<QueueVisitRow>(
            $"SELECT {QueueVisitRow.Columns} FROM queue_visits WHERE {where};", args, transaction).ConfigureAwait(false)).AsList();
        foreach (QueueVisitRow row in before)
        {
            var parameters = new DynamicParameters(args);
            parameters.Add("VisitId", row.Id);
            QueueVisitRow after = await connection.QuerySingleAsync<QueueVisitRow>(
                $"UPDATE queue_visits SET {set} WHERE id = @VisitId RETURNING {QueueVisitRow.Columns};", parameters, transaction)
                .ConfigureAwait(false);
            await ApplyAsync(connection, transaction, row, after).ConfigureAwait(false);
        }

        return before.Count;
    }

    /// <summary>Deletes the visits matching <paramref name="where"/> and takes them out of the rollup.</summary>
    public static async Task<int> DeleteAsync(DbConnection connection, DbTransaction transaction, string where, object? args)
    {
        await LockAsync(connection, transaction).ConfigureAwait(false);
        List<QueueVisitRow> before = (await connection.QueryAsync<QueueVisitRow>(
            $"DELETE FROM queue_visits WHERE {where} RETURNING {QueueVisitRow.Columns};", args, transaction).ConfigureAwait(false)).AsList();
        foreach (QueueVisitRow row in before)
        {
            await ApplyAsync(connection, transaction, row, null).ConfigureAwait(false);
        }

        return before.Count;
    }

    /// <summary>Recounts every bucket of <paramref name="queue"/> with its thresholds (new thresholds for it).</summary>
    public static async Task RecountQueueAsync(DbConnection connection, DbTransaction transaction, string queue)
    {
        await LockAsync(connection, transaction).ConfigureAwait(false);
        (long sl, long sa) = await ThresholdsAsync(connection, transaction, queue).ConfigureAwait(false);
        await connection.ExecuteAsync("DELETE FROM queue_visit_rollup WHERE queue = @Queue;", new { Queue = queue }, transaction)
            .ConfigureAwait(false);
        var buckets = new Dictionary<long, QueueVisitContribution>();
        await foreach (QueueVisitRow visit in connection.QueryUnbufferedAsync<QueueVisitRow>(
            $"SELECT {QueueVisitRow.Columns} FROM queue_visits WHERE queue = @Queue;", new { Queue = queue }, transaction).ConfigureAwait(false))
        {
            QueueVisitContribution c = QueueVisitContribution.Of(visit, sl, sa);
            buckets[c.Bucket] = buckets.TryGetValue(c.Bucket, out QueueVisitContribution sum) ? sum.Plus(c) : c;
        }

        foreach (QueueVisitContribution sum in buckets.Values)
        {
            await UpsertAsync(connection, transaction, sum, sl, sa).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One rollup writer at a time (<see cref="SqlDialect.LockKeyAsync"/>: a transaction advisory lock on PostgreSQL, the
    /// same key the SQL functions of migration 008 lock; nothing on SQLite, which serializes writers already): two visits
    /// of one bucket read-then-upsert the same rows, and READ COMMITTED would let both read the same longest wait or both
    /// delete an emptied row.
    /// </summary>
    private static Task LockAsync(DbConnection connection, DbTransaction transaction) =>
        SqlDialect.Of(connection).LockKeyAsync(connection, transaction, "queue_visit_rollup");

    /// <summary>Moves one visit's contribution from <paramref name="before"/> (null: a new visit) to
    /// <paramref name="after"/> (null: a deleted one).</summary>
    private static async Task ApplyAsync(DbConnection connection, DbTransaction transaction, QueueVisitRow? before, QueueVisitRow? after)
    {
        (long Sl, long Sa)? thresholdsBefore = before is null ? null : await ThresholdsAsync(connection, transaction, before.Queue).ConfigureAwait(false);
        (long Sl, long Sa)? thresholdsAfter = after is null ? null
            : before is not null && before.Queue == after.Queue ? thresholdsBefore
            : await ThresholdsAsync(connection, transaction, after.Queue).ConfigureAwait(false);
        QueueVisitContribution? b = before is null ? null : QueueVisitContribution.Of(before, thresholdsBefore!.Value.Sl, thresholdsBefore.Value.Sa);
        QueueVisitContribution? a = after is null ? null : QueueVisitContribution.Of(after, thresholdsAfter!.Value.Sl, thresholdsAfter.Value.Sa);
        bool sameKey = b is { } x && a is { } y && x.Bucket == y.Bucket && x.Queue == y.Queue;

        // The longest wait is a maximum: taking a visit's wait away (or shortening it) recounts it when it was the longest.
        bool recountLongest = false;
        if (b is { LongestWaitMs: { } longestBefore } removed && !(sameKey && a!.Value.LongestWaitMs >= longestBefore))
        {
            long? current = await connection.QuerySingleOrDefaultAsync<long?>(
                "SELECT longest_wait_ms FROM queue_visit_rollup WHERE bucket = @Bucket AND queue = @Queue;",
                new { removed.Bucket, removed.Queue }, transaction).ConfigureAwait(false);
            recountLongest = current == longestBefore;
        }

        if (sameKey)
        {
            QueueVisitContribution net = a!.Value.Minus(b!.Value);
            if (!net.IsZero || a.Value.LongestWaitMs != b.Value.LongestWaitMs)
            {
                await UpsertAsync(connection, transaction, net, thresholdsAfter!.Value.Sl, thresholdsAfter.Value.Sa).ConfigureAwait(false);
            }
        }
        else
        {
            if (b is { } gone)
            {
                QueueVisitContribution net = default(QueueVisitContribution).Minus(gone) with { Bucket = gone.Bucket, Queue = gone.Queue };
                await UpsertAsync(connection, transaction, net, thresholdsBefore!.Value.Sl, thresholdsBefore.Value.Sa).ConfigureAwait(false);
                await connection.ExecuteAsync(
                    "DELETE FROM queue_visit_rollup WHERE bucket = @Bucket AND queue = @Queue AND offered = 0 AND rejected = 0;",
                    new { gone.Bucket, gone.Queue }, transaction).ConfigureAwait(false);
            }

            if (a is { } added)
            {
                await UpsertAsync(connection, transaction, added, thresholdsAfter!.Value.Sl, thresholdsAfter.Value.Sa).ConfigureAwait(false);
            }
        }

        if (recountLongest)
        {
            await RecountLongestAsync(connection, transaction, b!.Value.Bucket, b.Value.Queue).ConfigureAwait(false);
        }

        await ApplyHandledAsync(connection, transaction, b, a).ConfigureAwait(false);
    }

    /// <summary>The agents' handled (all queues together): one less for the old agent and bucket, one more for the new.</summary>
    private static async Task ApplyHandledAsync(DbConnection connection, DbTransaction transaction, QueueVisitContribution? before,
        QueueVisitContribution? after)
    {
        (long Bucket, string? Agent) b = (before?.Bucket ?? 0, before?.HandledBy), a = (after?.Bucket ?? 0, after?.HandledBy);
        if (b.Agent == a.Agent && (b.Agent is null || b.Bucket == a.Bucket))
        {
            return;
        }

        if (b.Agent is not null)
        {
            await connection.ExecuteAsync(
                """
                UPDATE agent_handled_rollup SET handled = handled - 1 WHERE bucket = @Bucket AND agent = @Agent;
                DELETE FROM agent_handled_rollup WHERE bucket = @Bucket AND agent = @Agent AND handled <= 0;
                """, new { b.Bucket, b.Agent }, transaction).ConfigureAwait(false);
        }

        if (a.Agent is not null)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO agent_handled_rollup (bucket, agent, handled) VALUES (@Bucket, @Agent, 1)
                ON CONFLICT (bucket, agent) DO UPDATE SET handled = agent_handled_rollup.handled + 1;
                """, new { a.Bucket, a.Agent }, transaction).ConfigureAwait(false);
        }
    }

    private static async Task RecountLongestAsync(DbConnection connection, DbTransaction transaction, long bucket, string queue)
    {
        long longest = 0;
        await foreach (QueueVisitRow visit in connection.QueryUnbufferedAsync<QueueVisitRow>(
            $"SELECT {QueueVisitRow.Columns} FROM queue_visits WHERE entered_at >= @Bucket AND entered_at < @End AND queue = @Queue;",
            new { Bucket = bucket, End = bucket + AgentStateStore.BucketMs, Queue = queue }, transaction).ConfigureAwait(false))
        {
            // The longest wait does not depend on the thresholds.
            if (QueueVisitContribution.Of(visit, 0, 0) is { LongestWaitMs: { } wait } c && c.Bucket == bucket && wait > longest)
            {
                longest = wait;
            }
        }

        await connection.ExecuteAsync(
            "UPDATE queue_visit_rollup SET longest_wait_ms = @Longest WHERE bucket = @Bucket AND queue = @Queue;",
            new { Longest = longest, Bucket = bucket, Queue = queue }, transaction).ConfigureAwait(false);
    }

    private static Task<int> UpsertAsync(DbConnection connection, DbTransaction transaction, QueueVisitContribution c, long sl, long sa) =>
        connection.ExecuteAsync(UpsertSql, new
        {
            c.Bucket,
            c.Queue,
            ServiceLevelMs = sl,
            ShortAbandonMs = sa,
            c.Offered,
            c.Waiting,
            c.Answered,
            c.AnsweredWaitMs,
            c.AnsweredWithin,
            c.HandledCount,
            c.HandleMs,
            c.Abandoned,
            c.ShortAbandoned,
            c.AbandonedWithin,
            c.Overflowed,
            c.CallbacksRequested,
            c.CallbacksCompleted,
            c.Other,
            c.WaitCount,
            c.WaitMs,
            LongestWaitMs = c.LongestWaitMs ?? 0,
            c.Rejected,
        }, transaction);

    /// <summary>The thresholds (ms) the rollup counts <paramref name="queue"/> with: its <c>queue_thresholds</c> row, or
    /// 20 s / 5 s.</summary>
    private static async Task<(long Sl, long Sa)> ThresholdsAsync(DbConnection connection, DbTransaction transaction, string queue)
    {
        (long Sl, long Sa)? row = await connection.QuerySingleOrDefaultAsync<(long Sl, long Sa)?>(
            "SELECT service_level_ms, short_abandon_ms FROM queue_thresholds WHERE queue = @Queue;", new { Queue = queue }, transaction)
            .ConfigureAwait(false);
        return row ?? (QueueVisitContribution.DefaultServiceLevelMs, QueueVisitContribution.DefaultShortAbandonMs);
    }
}
