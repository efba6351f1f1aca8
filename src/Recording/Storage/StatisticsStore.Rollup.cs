using System.Data.Common;
using Telephony.Recording.Statistics;

namespace Telephony.Recording.Storage;

/// <summary>The queue visit rollup (schema 8, kept by <see cref="QueueVisitRollup"/> since schema 10; docs/metrics.md §7):
/// whole buckets read as sums, thresholds kept in step.</summary>
public sealed partial class StatisticsStore
{
    /// <summary>The rollup's bucket: 15 minutes of UTC, as the agent time rollup.</summary>
    public static readonly TimeSpan Bucket = TimeSpan.FromMilliseconds(AgentStateStore.BucketMs);

    /// <summary>
    /// Makes the rollup count with these thresholds (from queues.yaml): a queue whose thresholds changed has its rollup
    /// recounted (<see cref="QueueVisitRollup.RecountQueueAsync"/>, in this transaction). A report with other thresholds than the
    /// rollup's is still exact (it reads those buckets' visits), only slower. Returns how many queues changed.
    /// </summary>
    public async Task<int> SetThresholdsAsync(IReadOnlyDictionary<string, QueueThresholds> thresholds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int changed = 0;
        foreach ((string queue, QueueThresholds t) in thresholds)
        {
            await using DbCommand command = Command(transaction);
            command.CommandText =
                """
                INSERT INTO queue_thresholds (queue, service_level_ms, short_abandon_ms) VALUES (@queue, @sl, @sa)
                ON CONFLICT (queue) DO UPDATE SET service_level_ms = excluded.service_level_ms, short_abandon_ms = excluded.short_abandon_ms
                WHERE queue_thresholds.service_level_ms <> excluded.service_level_ms
                   OR queue_thresholds.short_abandon_ms <> excluded.short_abandon_ms;
                """;
            AddParameter(command, "@queue", queue);
            AddParameter(command, "@sl", Math.Max(0, t.ServiceLevelSeconds) * 1000L);
            AddParameter(command, "@sa", Math.Max(0, t.ShortAbandonSeconds) * 1000L);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                changed++;
                await QueueVisitRollup.RecountQueueAsync(connection, transaction, queue).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    /// <summary>Whole buckets of <paramref name="range"/> from the rollup; a bucket the accumulator refuses (other
    /// thresholds) is read visit by visit (its agents' handled still from the agent rollup, which counts every queue:
    /// the caller takes this path with agents only for all queues).</summary>
    private async Task<long> ReadRollupVisitsAsync(DbTransaction transaction, StatisticsAccumulator accumulator, VisitRange range,
        CancellationToken cancellationToken)
    {
        long visits = 0;
        var refused = new List<(string Queue, long Bucket)>();
        if (!range.AnsweredOnly)
        {
            await using DbCommand command = Command(transaction);
            command.CommandText =
                $"""
                SELECT queue, bucket, service_level_ms, short_abandon_ms, offered, waiting, answered, answered_wait_ms,
                       answered_within, handled_count, handle_ms, abandoned, short_abandoned, abandoned_within, overflowed,
                       callbacks_requested, other, wait_count, wait_ms, longest_wait_ms, rejected, callbacks_completed
                FROM queue_visit_rollup WHERE bucket >= @from AND bucket < @to {(range.Queue is null ? "" : "AND queue = @queue")}
                ORDER BY bucket;
                """;
            AddVisitRange(command, range);
            await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var totals = new QueueVisitTotals
                {
                    Queue = r.GetString(0),
                    BucketStart = Instant(r.GetInt64(1)),
                    Thresholds = new QueueThresholds((int)(r.GetInt64(2) / 1000), (int)(r.GetInt64(3) / 1000)),
                    Offered = r.GetInt32(4),
                    Waiting = r.GetInt32(5),
                    Answered = r.GetInt32(6),
                    AnsweredWait = TimeSpan.FromMilliseconds(r.GetInt64(7)),
                    AnsweredWithinThreshold = r.GetInt32(8),
                    HandledCount = r.GetInt32(9),
                    HandleTime = TimeSpan.FromMilliseconds(r.GetInt64(10)),
                    Abandoned = r.GetInt32(11),
                    ShortAbandoned = r.GetInt32(12),
                    AbandonedWithinThreshold = r.GetInt32(13),
                    Overflowed = r.GetInt32(14),
                    CallbacksRequested = r.GetInt32(15),
                    Other = r.GetInt32(16),
                    WaitCount = r.GetInt32(17),
                    Wait = TimeSpan.FromMilliseconds(r.GetInt64(18)),
                    LongestWait = TimeSpan.FromMilliseconds(r.GetInt64(19)),
                    Rejected = r.GetInt32(20),
                    CallbacksCompleted = r.GetInt32(21),
                };
                if (accumulator.TryAddVisitTotals(totals, Bucket))
                {
                    visits += totals.Offered + totals.Rejected;
                }
                else
                {
                    refused.Add((totals.Queue, r.GetInt64(1)));
                }
            }
        }

        foreach ((string queue, long bucket) in refused)
        {
            var one = new VisitRange(bucket, bucket + AgentStateStore.BucketMs, queue, AnsweredOnly: false, WithAgent: false);
            visits += await ReadVisitsAsync(transaction, accumulator, one, cancellationToken).ConfigureAwait(false);
        }

        if (!range.WithAgent)
        {
            return visits;
        }

        await using (DbCommand command = Command(transaction))
        {
            command.CommandText = "SELECT agent, bucket, handled FROM agent_handled_rollup WHERE bucket >= @from AND bucket < @to;";
            AddVisitRange(command, range with { Queue = null });
            await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            string? lastAgent = null;
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                string name = r.GetString(0);
                lastAgent = string.Equals(name, lastAgent, StringComparison.Ordinal) ? lastAgent! : name;
                int handled = r.GetInt32(2);
                accumulator.TryAddHandled(lastAgent, Instant(r.GetInt64(1)), Bucket, handled);
                if (range.AnsweredOnly)
                {
                    visits += handled;
                }
            }
        }

        return visits;
    }

    private static void AddVisitRange(DbCommand command, VisitRange range)
    {
        AddParameter(command, "@from", range.From);
        AddParameter(command, "@to", range.To);
        if (range.Queue is not null)
        {
            AddParameter(command, "@queue", range.Queue);
        }
    }

    /// <summary>Visits entered in [<see cref="From"/>, <see cref="To"/>) (Unix ms) of one queue or all; answered only;
    /// with or without their agent (without: their agents' handled comes from elsewhere).</summary>
    private readonly record struct VisitRange(long From, long To, string? Queue, bool AnsweredOnly, bool WithAgent);
}
