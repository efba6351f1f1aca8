using Npgsql;

namespace Telephony.Cluster.Agents;

/// <summary>
/// <c>cluster_agents</c>: each node writes its queue scheduler's agent state changes (<see cref="SetAsync"/>, in order,
/// with the call changes); a queue owner reads the whole cluster's (<see cref="ViewAsync"/>), ignoring nodes that stopped
/// beating, together with the agents assigned to a caller, so that an agent busy on node B is never offered by node A.
/// </summary>
public sealed class ClusterAgentStore
{
    private const string SetSql = """
        INSERT INTO cluster_agents (node, agent, state, since) VALUES (@node, @agent, @state, @since)
        ON CONFLICT (node, agent) DO UPDATE SET state = EXCLUDED.state, since = EXCLUDED.since
        """;

    private const string ClearSql = "DELETE FROM cluster_agents WHERE node = @node";

    private const string ViewSql = """
        SELECT a.node, a.agent, a.state, a.since FROM cluster_agents a JOIN cluster_nodes n ON n.node = a.node
         WHERE n.heartbeat_at > now() - @alive;
        SELECT agent FROM cluster_calls WHERE agent IS NOT NULL;
        """;

    private readonly NpgsqlDataSource _dataSource;

    /// <param name="dataSource">The shared database (the caller owns and disposes it).</param>
    public ClusterAgentStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Agent <paramref name="agent"/> is now <paramref name="state"/> on <paramref name="node"/>.</summary>
    public async Task SetAsync(string node, string agent, string state, DateTimeOffset since, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        await using var command = _dataSource.CreateCommand(SetSql);
        command.Parameters.AddWithValue("node", node);
        command.Parameters.AddWithValue("agent", agent);
        command.Parameters.AddWithValue("state", state);
        command.Parameters.AddWithValue("since", since.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Forgets what <paramref name="node"/> wrote before (at its start: its scheduler starts afresh).</summary>
    public async Task ClearAsync(string node, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        await using var command = _dataSource.CreateCommand(ClearSql);
        command.Parameters.AddWithValue("node", node);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The agents of the nodes that beat within <paramref name="alive"/>, and the agents assigned to a caller.</summary>
    public async Task<ClusterAgents> ViewAsync(TimeSpan alive, CancellationToken ct = default)
    {
        await using var batch = _dataSource.CreateCommand(ViewSql);
        batch.Parameters.AddWithValue("alive", alive);
        var states = new List<ClusterAgentState>();
        var assigned = new List<string>();
        await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            states.Add(new ClusterAgentState(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }
        await reader.NextResultAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            assigned.Add(reader.GetString(0));
        }
        return new ClusterAgents(states, assigned);
    }
}
