using Npgsql;

namespace Telephony.Cluster.Leases;

/// <summary>
/// The fenced dispatch of a cluster queue: the queue's owner assigns a waiting caller (a <c>cluster_calls</c> row, on any
/// node) to an agent with one statement that succeeds only while the owner's lease (owner + fencing token) is current and
/// unexpired, the lease row share-locked meanwhile (as <see cref="QueueLeaseStore.TryRecordDispatchAsync"/>), the caller
/// still waits in that queue unassigned, and the agent is assigned to no other caller (a unique index): a paused owner
/// that wakes up late is refused, and two nodes never offer one agent or one caller. Each assignment is also logged in
/// <c>queue_dispatches</c> in the same statement. The node holding the caller's media reads its assignments
/// (<see cref="AssignmentsForAsync"/>) and rings the agent as today (contact resolver, through Kamailio); a ring that
/// fails hands the caller back (<see cref="ReleaseAsync"/>), an answer takes it out of the line.
/// </summary>
public sealed class QueueAssignmentStore
{
    private const string AssignSql = """
        WITH lease AS (
            SELECT queue FROM queue_leases
             WHERE queue = @queue AND owner = @owner AND token = @token AND expires_at > now()
             FOR SHARE),
        assigned AS (
            UPDATE cluster_calls c SET agent = @agent, token = @token
              FROM lease
             WHERE c.call_id = @call_id AND c.queue = lease.queue AND c.agent IS NULL
            RETURNING c.call_id, c.node),
        logged AS (
            INSERT INTO queue_dispatches (queue, token, owner, call_id, agent, dispatched_at)
            SELECT @queue, @token, @owner, call_id, @agent, clock_timestamp() FROM assigned)
        SELECT node FROM assigned
        """;

    private const string CurrentSql = """
        SELECT 1 FROM queue_leases WHERE queue = @queue AND owner = @owner AND token = @token AND expires_at > now()
        """;

    private const string ReleaseSql = "UPDATE cluster_calls SET agent = NULL, token = NULL WHERE call_id = @call_id AND agent = @agent";

    private const string ForNodeSql = """
        SELECT queue, call_id, node, agent, token FROM cluster_calls WHERE node = @node AND agent IS NOT NULL ORDER BY token, entry
        """;

    private readonly NpgsqlDataSource _dataSource;

    /// <param name="dataSource">The shared database (the caller owns and disposes it).</param>
    public QueueAssignmentStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>The owner's decision under <paramref name="lease"/>: offer caller <paramref name="callId"/> to
    /// <paramref name="agent"/>. Only <see cref="AssignResult.Assigned"/> may be carried out.</summary>
    public async Task<AssignResult> TryAssignAsync(QueueLease lease, string callId, string agent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        await using var command = _dataSource.CreateCommand(AssignSql);
        AddLease(command, lease);
        command.Parameters.AddWithValue("call_id", callId);
        command.Parameters.AddWithValue("agent", agent);
        try
        {
            if (await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
            {
                return AssignResult.Assigned;
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return AssignResult.AgentTaken;
        }
        await using var current = _dataSource.CreateCommand(CurrentSql);
        AddLease(current, lease);
        return await current.ExecuteScalarAsync(ct).ConfigureAwait(false) is null ? AssignResult.Fenced : AssignResult.CallerGone;
    }

    /// <summary>The agent did not take the caller (no answer, busy, unreachable): the caller waits unassigned again, at
    /// the same place. False when that assignment no longer stands.</summary>
    public async Task<bool> ReleaseAsync(string callId, string agent, CancellationToken ct = default)
    {
        await using var command = _dataSource.CreateCommand(ReleaseSql);
        command.Parameters.AddWithValue("call_id", callId);
        command.Parameters.AddWithValue("agent", agent);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <summary>The assignments of the callers whose media is on <paramref name="node"/> (it rings those agents).</summary>
    public async Task<IReadOnlyList<QueueAssignment>> AssignmentsForAsync(string node, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        await using var command = _dataSource.CreateCommand(ForNodeSql);
        command.Parameters.AddWithValue("node", node);
        var result = new List<QueueAssignment>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            result.Add(new QueueAssignment(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
        }
        return result;
    }

    private static void AddLease(NpgsqlCommand command, QueueLease lease)
    {
        command.Parameters.AddWithValue("queue", lease.Queue);
        command.Parameters.AddWithValue("owner", lease.Owner);
        command.Parameters.AddWithValue("token", lease.Token);
    }
}
