using Npgsql;

namespace Telephony.Cluster.Leases;

/// <summary>
/// One owner per queue through a lease row in PostgreSQL, with fencing tokens (a lease is a time-bounded lock, and a
/// holder that pauses past its expiry must not act on it: every write it makes carries the token and the database
/// refuses a stale one). Each operation is one statement, decided by the database's clock (<c>now()</c>), never the
/// node's:
/// <list type="bullet">
/// <item><see cref="TryAcquireAsync"/>: conditional upsert; succeeds when the queue is free, expired, or already ours; the
/// token grows by one whenever ownership changes (a new owner, or ours again after it lapsed or was released).</item>
/// <item><see cref="TryRenewAsync"/>: extends only the exact lease (owner and token) while unexpired.</item>
/// <item><see cref="ReleaseAsync"/>: expires the exact lease now, so another node can take the queue at once.</item>
/// <item><see cref="TryRecordDispatchAsync"/>: the fenced dispatch write: inserted only while the lease row still has
/// this owner and token and is unexpired, with that row share-locked so an ownership change waits for the write
/// (or the write sees the change and is refused).</item>
/// </list>
/// The tables are created by the PostgreSQL migrations (<c>src/Recording/Storage/Schema/Postgres/011_cluster_queues.sql</c>).
/// </summary>
public sealed class QueueLeaseStore : IQueueLeases
{
    private const string AcquireSql = """
        INSERT INTO queue_leases AS l (queue, owner, token, expires_at)
        VALUES (@queue, @owner, 1, now() + @duration)
        ON CONFLICT (queue) DO UPDATE
           SET owner = EXCLUDED.owner,
               token = CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at > now() THEN l.token ELSE l.token + 1 END,
               expires_at = EXCLUDED.expires_at
         WHERE l.owner = EXCLUDED.owner OR l.expires_at <= now()
        RETURNING token, expires_at
        """;

    private const string RenewSql = """
        UPDATE queue_leases SET expires_at = now() + @duration
         WHERE queue = @queue AND owner = @owner AND token = @token AND expires_at > now()
        RETURNING token, expires_at
        """;

    private const string ReleaseSql = """
        UPDATE queue_leases SET expires_at = now()
         WHERE queue = @queue AND owner = @owner AND token = @token AND expires_at > now()
        RETURNING token
        """;

    private const string CurrentSql = """
        SELECT owner, token, expires_at FROM queue_leases WHERE queue = @queue AND expires_at > now()
        """;

    private const string DispatchSql = """
        WITH lease AS (
            SELECT queue FROM queue_leases
             WHERE queue = @queue AND owner = @owner AND token = @token AND expires_at > now()
             FOR SHARE)
        INSERT INTO queue_dispatches (queue, token, owner, call_id, agent, dispatched_at)
        SELECT queue, @token, @owner, @call_id, @agent, clock_timestamp() FROM lease
        RETURNING id
        """;

    private readonly NpgsqlDataSource _dataSource;

    /// <param name="dataSource">The shared database (the caller owns and disposes it).</param>
    public QueueLeaseStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Takes (or keeps) <paramref name="queue"/> for <paramref name="owner"/> for <paramref name="duration"/>;
    /// null when another node holds an unexpired lease.</summary>
    public async Task<QueueLease?> TryAcquireAsync(string queue, string owner, TimeSpan duration, CancellationToken ct = default)
    {
        ValidateNames(queue, owner);
        await using var command = _dataSource.CreateCommand(AcquireSql);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("duration", duration);
        return await ReadLeaseAsync(command, queue, owner, ct).ConfigureAwait(false);
    }

    /// <summary>Extends <paramref name="lease"/> by <paramref name="duration"/> from now; null when it lapsed or changed hands
    /// (the node must stop dispatching for that queue and may try <see cref="TryAcquireAsync"/> again).</summary>
    public async Task<QueueLease?> TryRenewAsync(QueueLease lease, TimeSpan duration, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var command = _dataSource.CreateCommand(RenewSql);
        command.Parameters.AddWithValue("queue", lease.Queue);
        command.Parameters.AddWithValue("owner", lease.Owner);
        command.Parameters.AddWithValue("token", lease.Token);
        command.Parameters.AddWithValue("duration", duration);
        return await ReadLeaseAsync(command, lease.Queue, lease.Owner, ct).ConfigureAwait(false);
    }

    /// <summary>Gives <paramref name="lease"/> up now (a clean shutdown or drain); false when it was no longer held.</summary>
    public async Task<bool> ReleaseAsync(QueueLease lease, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var command = _dataSource.CreateCommand(ReleaseSql);
        command.Parameters.AddWithValue("queue", lease.Queue);
        command.Parameters.AddWithValue("owner", lease.Owner);
        command.Parameters.AddWithValue("token", lease.Token);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null;
    }

    /// <summary>The unexpired lease on <paramref name="queue"/>, or null when nobody owns it now.</summary>
    public async Task<QueueLease?> CurrentAsync(string queue, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        await using var command = _dataSource.CreateCommand(CurrentSql);
        command.Parameters.AddWithValue("queue", queue);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false)
            ? new QueueLease(queue, reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    /// <summary>
    /// The fenced dispatch write: records <paramref name="decision"/> only if its lease is still the queue's current,
    /// unexpired lease; false = fenced (the decision is stale and must not be carried out: do not ring the agent).
    /// </summary>
    public async Task<bool> TryRecordDispatchAsync(DispatchDecision decision, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        await using var command = _dataSource.CreateCommand(DispatchSql);
        command.Parameters.AddWithValue("queue", decision.Lease.Queue);
        command.Parameters.AddWithValue("owner", decision.Lease.Owner);
        command.Parameters.AddWithValue("token", decision.Lease.Token);
        command.Parameters.AddWithValue("call_id", decision.CallId);
        command.Parameters.AddWithValue("agent", decision.Agent);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null;
    }

    private static async Task<QueueLease?> ReadLeaseAsync(NpgsqlCommand command, string queue, string owner, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false)
            ? new QueueLease(queue, owner, reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1))
            : null;
    }

    private static void ValidateNames(string queue, string owner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
    }
}
