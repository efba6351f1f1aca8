using System.Data.Common;
using Telephony.Recording.Statistics;

namespace Telephony.Recording.Storage;

/// <summary>
/// Reads the statistics input from the database into a <see cref="StatisticsAccumulator"/> (docs/metrics.md): queue
/// visits (<c>queue_visits</c>, one covering-index range scan in time order) and agent state time. Agent time whose
/// 15-minute UTC buckets lie wholly inside the range comes from the rollup (<c>agent_state_time</c>) plus each agent's
/// open state; the ragged ends of the range come from the raw history (<c>agent_states</c>), clipped. Rows stream
/// straight from the data reader; nothing is held per row.
/// </summary>
public sealed partial class StatisticsStore(Database database)
{
    private const string OutcomeCode =
        "CASE outcome WHEN 'Answered' THEN 1 WHEN 'Abandoned' THEN 2 WHEN 'Overflowed' THEN 3 WHEN 'CallbackRequested' THEN 4 WHEN 'Other' THEN 5 ELSE 0 END";

    private const string StateCode =
        "CASE state WHEN 'Available' THEN 1 WHEN 'Ringing' THEN 2 WHEN 'OnCall' THEN 3 WHEN 'WrapUp' THEN 4 WHEN 'Paused' THEN 5 ELSE 0 END";

    /// <summary>Feeds every queue visit entered in [<paramref name="from"/>, <paramref name="to"/>) (of
    /// <paramref name="queue"/> only, when given; answered ones only with <paramref name="answeredOnly"/>, enough for
    /// the agents' <c>handled</c>; the agents' <c>handled</c> left out with <paramref name="withAgents"/> false, for a
    /// report that shows queues only). Whole 15-minute buckets come from the rollup (<c>queue_visit_rollup</c>,
    /// <c>agent_handled_rollup</c>) when the report's intervals are made of whole buckets; the ragged ends of the range,
    /// and a bucket whose rollup was counted with other thresholds, from the visits. Returns how many visits were
    /// counted (one snapshot: a change committed meanwhile is neither counted twice nor missed).</summary>
    public async Task<long> ReadQueueVisitsAsync(StatisticsAccumulator accumulator, DateTimeOffset from, DateTimeOffset to,
        string? queue = null, bool answeredOnly = false, bool withAgents = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        long start = UnixTimeHandlers.ToDb(from), end = UnixTimeHandlers.ToDb(to);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await database.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
        var range = new VisitRange(start, end, queue, answeredOnly, withAgents);
        long first = CeilBucket(start), last = FloorBucket(end);
        // The agent rollup counts every queue: one queue's visits with their agents are read one by one.
        if (first >= last || !accumulator.Grid.IsAlignedTo(Bucket) || (withAgents && queue is not null))
        {
            return await ReadVisitsAsync(transaction, accumulator, range, cancellationToken).ConfigureAwait(false);
        }

        long rows = 0;
        if (start < first)
        {
            rows += await ReadVisitsAsync(transaction, accumulator, range with { To = first }, cancellationToken).ConfigureAwait(false);
        }

        rows += await ReadRollupVisitsAsync(transaction, accumulator, range with { From = first, To = last }, cancellationToken)
            .ConfigureAwait(false);
        if (last < end)
        {
            rows += await ReadVisitsAsync(transaction, accumulator, range with { From = last }, cancellationToken).ConfigureAwait(false);
        }

        return rows;
    }

    /// <summary>The visits of <paramref name="range"/>, one row each.</summary>
    private async Task<long> ReadVisitsAsync(DbTransaction transaction, StatisticsAccumulator accumulator, VisitRange range,
        CancellationToken cancellationToken)
    {
        await using DbCommand command = Command(transaction);
        command.CommandText =
            $"""
            SELECT queue, entered_at, {OutcomeCode}, outcome_at, agent, talk_ms, hold_ms, wrap_up_ms, callback_completed_at
            FROM queue_visits {database.Dialect.IndexedBy("ix_queue_visits_entered")}
            WHERE entered_at >= @from AND entered_at < @to
              {(range.Queue is null ? "" : "AND queue = @queue")}
              {(range.AnsweredOnly ? "AND outcome = 'Answered'" : "")}
            ORDER BY entered_at;
            """;
        AddParameter(command, "@from", range.From);
        AddParameter(command, "@to", range.To);
        if (range.Queue is not null)
        {
            AddParameter(command, "@queue", range.Queue);
        }

        long rows = 0;
        string? lastQueue = null;
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows++;
            string name = reader.GetString(0);
            lastQueue = string.Equals(name, lastQueue, StringComparison.Ordinal) ? lastQueue! : name;
            var outcome = (QueueCallOutcome)reader.GetInt32(2);
            accumulator.AddCall(new QueueCallFact
            {
                Queue = lastQueue,
                EnteredAt = Instant(reader.GetInt64(1)),
                Outcome = outcome,
                OutcomeAt = reader.IsDBNull(3) ? null : Instant(reader.GetInt64(3)),
                Agent = !range.WithAgent || reader.IsDBNull(4) ? null : reader.GetString(4),
                TalkTime = reader.IsDBNull(5) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(5)),
                HoldTime = TimeSpan.FromMilliseconds(reader.GetInt64(6)),
                WrapUpTime = reader.IsDBNull(7) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(7)),
                CallbackCompletedAt = reader.IsDBNull(8) ? null : Instant(reader.GetInt64(8)),
            });
        }

        return rows;
    }

    /// <summary>The queue visits without an outcome yet: the callers waiting now, oldest first.</summary>
    public async Task<IReadOnlyList<WaitingVisit>> WaitingAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbCommand command = connection.CreateCommand();
        command.CommandText =
            $"SELECT call_id, queue, entered_at FROM queue_visits {database.Dialect.IndexedBy("ix_queue_visits_open")} WHERE outcome IS NULL ORDER BY entered_at;";
        var waiting = new List<WaitingVisit>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            waiting.Add(new WaitingVisit(reader.GetString(0), reader.GetString(1), Instant(reader.GetInt64(2))));
        }

        return waiting;
    }

    /// <summary>Feeds the agents' state time in [<paramref name="from"/>, min(<paramref name="to"/>,
    /// <paramref name="now"/>)) (of <paramref name="agent"/> only, when given) as spans that never overlap.</summary>
    public async Task ReadAgentTimeAsync(StatisticsAccumulator accumulator, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset now, string? agent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        long start = UnixTimeHandlers.ToDb(from);
        long end = Math.Min(UnixTimeHandlers.ToDb(to), UnixTimeHandlers.ToDb(now));
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (end <= start)
        {
            return;
        }

        // One read transaction: the rollup, the open states and the raw ends are one snapshot (WAL), so a change
        // committed meanwhile is neither counted twice nor missed.
        await using DbTransaction transaction = await database.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
        long first = CeilBucket(start), last = FloorBucket(end);
        if (first >= last)
        {
            await ReadRawAsync(transaction, accumulator, start, end, agent, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (start < first)
        {
            await ReadRawAsync(transaction, accumulator, start, first, agent, cancellationToken).ConfigureAwait(false);
        }

        await ReadRollupAsync(transaction, accumulator, first, last, agent, cancellationToken).ConfigureAwait(false);
        if (last < end)
        {
            await ReadRawAsync(transaction, accumulator, last, end, agent, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closed time from the rollup, one span per bucket row ([bucket, bucket + ms), inside the bucket), plus
    /// each agent's open state clipped to [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static async Task ReadRollupAsync(DbTransaction transaction, StatisticsAccumulator accumulator, long from, long to,
        string? agent, CancellationToken cancellationToken)
    {
        // One row per agent and bucket with the time of each working state (agent_time_rollup, schema 10: kept pivoted
        // as each state closes, so nothing is grouped here), then the paused rows with their reasons.
        await using (DbCommand command = Command(transaction))
        {
            command.CommandText =
                $"""
                SELECT agent, bucket, available_ms, ringing_ms, on_call_ms, wrap_up_ms
                FROM agent_time_rollup
                WHERE bucket >= @from AND bucket < @to {(agent is null ? "" : "AND agent = @agent")};
                """;
            AddRange(command, from, to, agent);
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            string? lastAgent = null;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                string name = reader.GetString(0);
                lastAgent = string.Equals(name, lastAgent, StringComparison.Ordinal) ? lastAgent! : name;
                long bucket = reader.GetInt64(1);
                for (int column = 2; column < 6; column++)
                {
                    long ms = reader.GetInt64(column);
                    if (ms > 0)
                    {
                        AddBucket(accumulator, lastAgent, AgentActivity.Available + (column - 2), null, bucket, ms);
                    }
                }
            }
        }

        await using (DbCommand command = Command(transaction))
        {
            command.CommandText =
                $"""
                SELECT agent, bucket, reason, ms FROM agent_state_time
                WHERE bucket >= @from AND bucket < @to AND state = 'Paused' {(agent is null ? "" : "AND agent = @agent")};
                """;
            AddRange(command, from, to, agent);
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                string reason = reader.GetString(2);
                AddBucket(accumulator, reader.GetString(0), AgentActivity.Paused, reason.Length == 0 ? null : reason, reader.GetInt64(1),
                    reader.GetInt64(3));
            }
        }

        await using (DbCommand command = Command(transaction))
        {
            command.CommandText =
                $"SELECT agent, {StateCode}, reason, since FROM agent_current WHERE since < @to {(agent is null ? "" : "AND agent = @agent")};";
            AddRange(command, from, to, agent);
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                Add(accumulator, reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetInt64(3), to, from, to);
            }
        }
    }

    /// <summary>Spans from the raw history, clipped to [<paramref name="from"/>, <paramref name="to"/>): the state each
    /// agent was in at <paramref name="from"/> and every change before <paramref name="to"/>.</summary>
    private static async Task ReadRawAsync(DbTransaction transaction, StatisticsAccumulator accumulator, long from, long to,
        string? agent, CancellationToken cancellationToken)
    {
        await using DbCommand command = Command(transaction);
        command.CommandText =
            $"""
            WITH agents AS (SELECT agent FROM agent_current {(agent is null ? "" : "WHERE agent = @agent")}),
            rows AS (
                SELECT s.agent, s.state, s.reason, s.occurred_at, s.id FROM agents a
                JOIN agent_states s ON s.id = (SELECT x.id FROM agent_states x WHERE x.agent = a.agent AND x.occurred_at < @from
                                               ORDER BY x.occurred_at DESC, x.id DESC LIMIT 1)
                UNION ALL
                SELECT s.agent, s.state, s.reason, s.occurred_at, s.id FROM agents a
                JOIN agent_states s ON s.agent = a.agent AND s.occurred_at >= @from AND s.occurred_at < @to)
            SELECT agent, {StateCode}, reason, occurred_at FROM rows ORDER BY agent, occurred_at, id;
            """;
        AddRange(command, from, to, agent);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        string? current = null;
        int state = 0;
        string? reason = null;
        long since = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string name = reader.GetString(0);
            long at = reader.GetInt64(3);
            if (current is not null && string.Equals(name, current, StringComparison.Ordinal))
            {
                Add(accumulator, current, state, reason, since, at, from, to);
            }
            else if (current is not null)
            {
                Add(accumulator, current, state, reason, since, to, from, to);
            }

            current = name;
            state = reader.GetInt32(1);
            reason = reader.IsDBNull(2) ? null : reader.GetString(2);
            since = at;
        }

        if (current is not null)
        {
            Add(accumulator, current, state, reason, since, to, from, to);
        }
    }

    /// <summary>Closed time of one state in one rollup bucket, as a span from the bucket's start.</summary>
    private static void AddBucket(StatisticsAccumulator accumulator, string agent, AgentActivity state, string? reason, long bucket, long ms) =>
        accumulator.AddAgentSpan(new AgentStateSpan
        {
            Agent = agent,
            State = state,
            Reason = reason,
            From = Instant(bucket),
            To = Instant(bucket + Math.Min(ms, AgentStateStore.BucketMs)),
        });

    private static void Add(StatisticsAccumulator accumulator, string agent, int state, string? reason, long spanFrom, long spanTo,
        long clipFrom, long clipTo)
    {
        long a = Math.Max(spanFrom, clipFrom), b = Math.Min(spanTo, clipTo);
        accumulator.AddAgentSpan(new AgentStateSpan
        {
            Agent = agent,
            State = (AgentActivity)state,
            Reason = reason,
            From = Instant(a),
            To = Instant(Math.Max(a, b)),
        });
    }

    private static DbCommand Command(DbTransaction transaction)
    {
        DbCommand command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        return command;
    }

    private static void AddRange(DbCommand command, long from, long to, string? agent)
    {
        AddParameter(command, "@from", from);
        AddParameter(command, "@to", to);
        if (agent is not null)
        {
            AddParameter(command, "@agent", agent);
        }
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static long FloorBucket(long ms) => ms - (((ms % AgentStateStore.BucketMs) + AgentStateStore.BucketMs) % AgentStateStore.BucketMs);

    private static long CeilBucket(long ms) => FloorBucket(ms) == ms ? ms : FloorBucket(ms) + AgentStateStore.BucketMs;

    private static DateTimeOffset Instant(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
