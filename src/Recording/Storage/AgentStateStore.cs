using System.Text.Json;
using Dapper;
using System.Data.Common;
using Telephony.Recording.Statistics;

namespace Telephony.Recording.Storage;

/// <summary>
/// The agent state history (<c>agent_states</c>, docs/metrics.md "Agent metrics"). Each change is written in one
/// transaction with everything derived from it: the <c>agent.state</c> event in the <see cref="EventLog"/>, the agent's
/// current state (<c>agent_current</c>), the time of the state it ends split into 15-minute UTC buckets
/// (<c>agent_state_time</c>, the rollup behind long reports, and <c>agent_time_rollup</c>, the working states pivoted per
/// agent and bucket) and, when it ends a call or its wrap-up, the talk or
/// wrap-up time of the queue visit the agent answered (<c>queue_visits</c>).
/// </summary>
public sealed class AgentStateStore(Database database)
{
    /// <summary>Rollup bucket length: 15 minutes, a divisor of every report interval in a zone whose offset is a
    /// multiple of 15 minutes (all zones in use today).</summary>
    public const long BucketMs = 15 * 60 * 1000;

    /// <summary>Reason of the log-out written when the server stops cleanly.</summary>
    public const string ShutdownReason = "shutdown";

    /// <summary>Reason of the log-out written at start-up for an agent a crash left logged in.</summary>
    public const string InterruptedReason = "interrupted";

    /// <summary>Appends one change of <paramref name="agent"/> to <paramref name="state"/> at <paramref name="at"/>;
    /// returns the event-log sequence. A change dated before the agent's previous one is stored at the previous
    /// time (a history never runs backwards).</summary>
    public async Task<long> AppendAsync(string agent, AgentActivity state, string? reason, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agent);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long sequence = await AppendAsync(connection, transaction, agent, state, reason, UnixTimeHandlers.ToDb(at)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return sequence;
    }

    /// <summary>Logs out, at <paramref name="at"/> (or at their last change when later), every agent whose last state
    /// is not logged out, with <paramref name="reason"/>; returns those agents. At start-up after a crash
    /// (<see cref="InterruptedReason"/>, at the last instant the log shows the server alive) and at a clean stop
    /// (<see cref="ShutdownReason"/>), so no state stays open across a restart.</summary>
    public async Task<IReadOnlyList<string>> CloseOpenAsync(DateTimeOffset at, string reason, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var open = (await connection.QueryAsync<string>(
            "SELECT agent FROM agent_current WHERE state <> 'LoggedOut' ORDER BY agent;", transaction: transaction).ConfigureAwait(false)).AsList();
        foreach (string agent in open)
        {
            await AppendAsync(connection, transaction, agent, AgentActivity.LoggedOut, reason, UnixTimeHandlers.ToDb(at)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return open;
    }

    /// <summary>The last instant the database shows the server alive: the latest event, agent change or call end
    /// (for <see cref="CloseOpenAsync"/> after a crash); null for an empty database.</summary>
    public async Task<DateTimeOffset?> LastActivityAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        long? ms = await connection.ExecuteScalarAsync<long?>(
            """
            SELECT max(t) FROM (
                SELECT max(occurred_at) AS t FROM events
                UNION ALL SELECT max(occurred_at) FROM agent_states
                UNION ALL SELECT max(ended_at) FROM calls) AS activity;
            """).ConfigureAwait(false);
        return ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
    }

    /// <summary>Every agent's current state (the last change), by agent.</summary>
    public async Task<IReadOnlyList<AgentCurrentState>> CurrentAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Agent, string State, string? Reason, long Since)>(
            "SELECT agent, state, reason, since FROM agent_current ORDER BY agent;").ConfigureAwait(false);
        return rows.Select(r => new AgentCurrentState(r.Agent, Enum.Parse<AgentActivity>(r.State), r.Reason,
            DateTimeOffset.FromUnixTimeMilliseconds(r.Since))).ToList();
    }

    private async Task<long> AppendAsync(DbConnection connection, DbTransaction transaction, string agent,
        AgentActivity state, string? reason, long atMs)
    {
        var previous = await connection.QuerySingleOrDefaultAsync<(string State, string? Reason, long Since)?>(
            $"SELECT state, reason, since FROM agent_current WHERE agent = @Agent {database.Dialect.ForUpdate};", new { Agent = agent }, transaction)
            .ConfigureAwait(false);
        if (previous is { } p && atMs < p.Since)
        {
            atMs = p.Since;
        }

        string text = state.ToString();
        reason = state is AgentActivity.Paused or AgentActivity.LoggedOut ? reason : null;
        await connection.ExecuteAsync(
            """
            INSERT INTO agent_states (agent, state, reason, occurred_at) VALUES (@Agent, @State, @Reason, @At);
            INSERT INTO agent_current (agent, state, reason, since) VALUES (@Agent, @State, @Reason, @At)
                ON CONFLICT (agent) DO UPDATE SET state = excluded.state, reason = excluded.reason, since = excluded.since;
            """,
            new { Agent = agent, State = text, Reason = reason, At = atMs }, transaction).ConfigureAwait(false);
        if (previous is { } prev)
        {
            await CloseSpanAsync(connection, transaction, agent, prev.State, prev.Reason, prev.Since, atMs, text).ConfigureAwait(false);
        }

        string payload = JsonSerializer.Serialize(new { agent, from = previous?.State ?? nameof(AgentActivity.LoggedOut), to = text, reason });
        return await EventLog.AppendAsync(connection, transaction, EventTypes.AgentState, null, payload,
            DateTimeOffset.FromUnixTimeMilliseconds(atMs)).ConfigureAwait(false);
    }

    /// <summary>The state <paramref name="state"/> that ran from <paramref name="fromMs"/> to <paramref name="toMs"/>
    /// is over: its time goes into the rollup, and an ended call or wrap-up onto the visit the agent answered.</summary>
    private static async Task CloseSpanAsync(DbConnection connection, DbTransaction transaction, string agent,
        string state, string? reason, long fromMs, long toMs, string next)
    {
        if (state == nameof(AgentActivity.OnCall))
        {
            // The call is over: its talk time; no wrap-up unless the agent goes into it now (then it ends later).
            await QueueVisitRollup.UpdateAsync(connection, transaction,
                "id = (SELECT max(id) FROM queue_visits WHERE agent = @Agent AND outcome = 'Answered' AND talk_ms IS NULL)",
                "talk_ms = @Ms, wrap_up_ms = @WrapUpMs",
                new { Agent = agent, Ms = toMs - fromMs, WrapUpMs = next == nameof(AgentActivity.WrapUp) ? (long?)null : 0L }).ConfigureAwait(false);
        }
        else if (state == nameof(AgentActivity.WrapUp))
        {
            await QueueVisitRollup.UpdateAsync(connection, transaction,
                "id = (SELECT max(id) FROM queue_visits WHERE agent = @Agent AND outcome = 'Answered' AND talk_ms IS NOT NULL AND wrap_up_ms IS NULL)",
                "wrap_up_ms = @Ms", new { Agent = agent, Ms = toMs - fromMs }).ConfigureAwait(false);
        }

        if (state == nameof(AgentActivity.LoggedOut) || toMs <= fromMs)
        {
            return;
        }

        string key = state == nameof(AgentActivity.Paused) ? (string.IsNullOrEmpty(reason) ? AgentIntervalStats.UnspecifiedReason : reason) : "";
        // The working states also go into agent_time_rollup (schema 10): one row per agent and bucket, a column each,
        // which the agent report reads without grouping agent_state_time's rows.
        string? column = state switch
        {
            nameof(AgentActivity.Available) => "available_ms",
            nameof(AgentActivity.Ringing) => "ringing_ms",
            nameof(AgentActivity.OnCall) => "on_call_ms",
            nameof(AgentActivity.WrapUp) => "wrap_up_ms",
            _ => null,
        };
        for (long start = fromMs; start < toMs;)
        {
            long bucket = Math.DivRem(start, BucketMs, out long rem) * BucketMs - (rem < 0 ? BucketMs : 0);
            long end = Math.Min(toMs, bucket + BucketMs);
            var args = new { Bucket = bucket, Agent = agent, State = state, Reason = key, Ms = end - start };
            await connection.ExecuteAsync(
                """
                INSERT INTO agent_state_time (bucket, agent, state, reason, ms) VALUES (@Bucket, @Agent, @State, @Reason, @Ms)
                    ON CONFLICT (bucket, agent, state, reason) DO UPDATE SET ms = agent_state_time.ms + excluded.ms;
                """, args, transaction).ConfigureAwait(false);
            if (column is not null)
            {
                await connection.ExecuteAsync(
                    $"""
                    INSERT INTO agent_time_rollup (bucket, agent, {column}) VALUES (@Bucket, @Agent, @Ms)
                        ON CONFLICT (bucket, agent) DO UPDATE SET {column} = agent_time_rollup.{column} + excluded.{column};
                    """, args, transaction).ConfigureAwait(false);
            }

            start = end;
        }
    }
}
