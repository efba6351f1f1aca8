using Npgsql;

namespace Telephony.Cluster.Calls;

/// <summary>
/// Where each call's media lives and, for a waiting caller, its place in line (<c>cluster_calls</c>), plus node liveness
/// (<c>cluster_nodes</c>): what a survivor needs when a node dies. Each node writes its own calls' rows (a call starts,
/// enters a queue, leaves it, ends) and beats every second (<see cref="BeatAsync"/>); a survivor takes the rows of every
/// node silent for longer than the dead-after time (<see cref="TakeOrphansAsync"/>) with one <c>DELETE … RETURNING</c>,
/// so each orphaned call is recovered by exactly one survivor even when several look at once. Heartbeats are the
/// database's clock (<c>now()</c>), never a node's. Times of calls are the node's (as in the call records).
/// </summary>
public sealed class ClusterCallStore : ICallbackLineStore
{
    private const string Columns = "call_id, node, caller, dialed, started_at, queue, priority, entered_at, entry, agent, kind, not_before";

    private const string BeatSql = """
        INSERT INTO cluster_nodes AS n (node, started_at, heartbeat_at) VALUES (@node, now(), now())
        ON CONFLICT (node) DO UPDATE SET heartbeat_at = now()
        """;

    private const string StartSql = """
        INSERT INTO cluster_calls (call_id, node, caller, dialed, started_at) VALUES (@call_id, @node, @caller, @dialed, @started_at)
        ON CONFLICT (call_id) DO UPDATE SET node = EXCLUDED.node
        """;

    // The first entry of a stay keeps its time and sequence: an overflow or a transfer to another queue keeps the place.
    private const string EnterSql = """
        UPDATE cluster_calls SET queue = @queue, priority = @priority, entered_at = coalesce(entered_at, @entered_at),
               entry = coalesce(entry, nextval('cluster_calls_entry'))
         WHERE call_id = @call_id
        """;

    private const string LeaveSql = """
        UPDATE cluster_calls SET queue = NULL, priority = NULL, entered_at = NULL, entry = NULL, agent = NULL, token = NULL
         WHERE call_id = @call_id
        """;

    // A callback's row: inserted once (its entry sequence kept), then re-timed in place; only by the node that wrote it.
    // release: the agent the owner assigned is free again (the attempt ended, the customer is tried again later).
    private const string PutCallbackSql = """
        INSERT INTO cluster_calls AS c (call_id, node, started_at, queue, priority, entered_at, entry, kind, not_before)
        VALUES (@call_id, @node, @entered_at, @queue, @priority, @entered_at, nextval('cluster_calls_entry'), 'callback', @not_before)
        ON CONFLICT (call_id) DO UPDATE SET queue = EXCLUDED.queue, priority = EXCLUDED.priority, entered_at = EXCLUDED.entered_at,
               not_before = EXCLUDED.not_before,
               agent = CASE WHEN @release THEN NULL ELSE c.agent END, token = CASE WHEN @release THEN NULL ELSE c.token END
         WHERE c.node = EXCLUDED.node AND c.kind = 'callback'
        """;

    private const string EndSql = "DELETE FROM cluster_calls WHERE call_id = @call_id";

    private const string WaitingSql = $"""
        SELECT {Columns} FROM cluster_calls WHERE queue = @queue ORDER BY priority DESC, entered_at, entry
        """;

    private const string OrphansSql = $"""
        DELETE FROM cluster_calls c USING cluster_nodes n
         WHERE c.node = n.node AND n.node <> @survivor AND n.heartbeat_at < now() - @dead_after
        RETURNING c.call_id, c.node, c.caller, c.dialed, c.started_at, c.queue, c.priority, c.entered_at, c.entry, c.agent, c.kind, c.not_before
        """;

    private const string LeftoversSql = $"DELETE FROM cluster_calls WHERE node = @node RETURNING {Columns}";

    private const string DeadNodesSql = """
        SELECT node FROM cluster_nodes WHERE node <> @survivor AND heartbeat_at < now() - @dead_after ORDER BY node
        """;

    private const string CallbackKind = "callback";

    private readonly NpgsqlDataSource _dataSource;

    /// <param name="dataSource">The shared database (the caller owns and disposes it).</param>
    public ClusterCallStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>The shared database (for the other stores of the same node, e.g. agent state in the same write order).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>This node is alive now (every second). The first beat registers the node.</summary>
    public async Task BeatAsync(string node, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        await using var command = _dataSource.CreateCommand(BeatSql);
        command.Parameters.AddWithValue("node", node);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A call started on <paramref name="node"/> (its media is there).</summary>
    public async Task StartAsync(string callId, string node, string? caller, string? dialed, DateTimeOffset startedAt, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        await using var command = _dataSource.CreateCommand(StartSql);
        command.Parameters.AddWithValue("call_id", callId);
        command.Parameters.AddWithValue("node", node);
        command.Parameters.AddWithValue("caller", (object?)caller ?? DBNull.Value);
        command.Parameters.AddWithValue("dialed", (object?)dialed ?? DBNull.Value);
        command.Parameters.AddWithValue("started_at", startedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The call entered <paramref name="queue"/> (from the IVR, an overflow or a transfer); the first entry of the
    /// stay is its place in line. False when the call is unknown (not started through <see cref="StartAsync"/>).</summary>
    public async Task<bool> EnterQueueAsync(string callId, string queue, int priority, DateTimeOffset enteredAt, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        await using var command = _dataSource.CreateCommand(EnterSql);
        command.Parameters.AddWithValue("call_id", callId);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("priority", priority);
        command.Parameters.AddWithValue("entered_at", enteredAt.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <summary>The call no longer waits (answered by an agent, left for a callback, transferred out...).</summary>
    public async Task LeaveQueueAsync(string callId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        await using var command = _dataSource.CreateCommand(LeaveSql);
        command.Parameters.AddWithValue("call_id", callId);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Pending callback <paramref name="callbackId"/> of <paramref name="node"/>'s scheduler waits in <paramref name="queue"/>
    /// at its original arrival <paramref name="arrivedAt"/>, due at <paramref name="notBefore"/>: the queue's owner assigns
    /// it an agent like a caller (<see cref="Leases.QueueAssignmentStore"/>). Written again when it is re-timed;
    /// <paramref name="release"/> frees the agent assigned to it. False when another node holds a row of that id.
    /// </summary>
    public async Task<bool> PutCallbackAsync(string callbackId, string node, string queue, int priority, DateTimeOffset arrivedAt,
        DateTimeOffset? notBefore, bool release, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callbackId);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        await using var command = _dataSource.CreateCommand(PutCallbackSql);
        command.Parameters.AddWithValue("call_id", callbackId);
        command.Parameters.AddWithValue("node", node);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("priority", priority);
        command.Parameters.AddWithValue("entered_at", arrivedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("not_before", notBefore is { } due ? due.ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("release", release);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <summary>The call ended (or the callback left the line): its row goes.</summary>
    public async Task EndAsync(string callId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        await using var command = _dataSource.CreateCommand(EndSql);
        command.Parameters.AddWithValue("call_id", callId);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The callers waiting in <paramref name="queue"/> on every node, in service order.</summary>
    public async Task<IReadOnlyList<ClusterCall>> WaitingAsync(string queue, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        await using var command = _dataSource.CreateCommand(WaitingSql);
        command.Parameters.AddWithValue("queue", queue);
        return await ReadAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>The nodes (other than <paramref name="survivor"/>) silent for longer than <paramref name="deadAfter"/>.</summary>
    public async Task<IReadOnlyList<string>> DeadNodesAsync(string survivor, TimeSpan deadAfter, CancellationToken ct = default)
    {
        await using var command = _dataSource.CreateCommand(DeadNodesSql);
        command.Parameters.AddWithValue("survivor", survivor);
        command.Parameters.AddWithValue("dead_after", deadAfter);
        var nodes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            nodes.Add(reader.GetString(0));
        }
        return nodes;
    }

    /// <summary>
    /// Takes (deletes and returns) the calls of every node other than <paramref name="survivor"/> whose last beat is older
    /// than <paramref name="deadAfter"/>: their media is gone. Exactly once: two survivors asking at the same moment get
    /// disjoint rows. Waiting callers first, in service order, then the other calls.
    /// </summary>
    public async Task<IReadOnlyList<ClusterCall>> TakeOrphansAsync(string survivor, TimeSpan deadAfter, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(survivor);
        await using var command = _dataSource.CreateCommand(OrphansSql);
        command.Parameters.AddWithValue("survivor", survivor);
        command.Parameters.AddWithValue("dead_after", deadAfter);
        return await ReadAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// At start-up, before the first beat: takes the rows a previous run of this same node left (killed and started again
    /// before anyone noticed it was dead). Same order as <see cref="TakeOrphansAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<ClusterCall>> TakeLeftoversAsync(string node, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        await using var command = _dataSource.CreateCommand(LeftoversSql);
        command.Parameters.AddWithValue("node", node);
        return await ReadAsync(command, ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ClusterCall>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var calls = new List<ClusterCall>();
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                calls.Add(new ClusterCall(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetInt32(6),
                    reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                    reader.IsDBNull(8) ? null : reader.GetInt64(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9),
                    !reader.IsDBNull(10) && reader.GetString(10) == CallbackKind,
                    reader.IsDBNull(11) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11))));
            }
        }
        calls.Sort(ClusterCall.CompareWaitingOrder);
        return calls;
    }
}
