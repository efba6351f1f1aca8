using Dapper;
using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// The persistent webhook outbox. A sender claims an entry before each attempt (<see cref="TryClaimAsync"/>:
/// bumps the attempt count and pushes the next attempt out by a lease, only if nobody else did), then marks it
/// delivered or schedules the retry. A sender that dies mid-attempt leaves the entry due again when the lease ends.
/// </summary>
public sealed class OutboxStore(Database database)
{
    private const string Columns =
        """
        id AS Id, webhook AS Webhook, payload AS Payload, idempotency_key AS IdempotencyKey, attempts AS Attempts,
        next_attempt_at AS NextAttemptAt, delivered_at AS DeliveredAt, last_error AS LastError, created_at AS CreatedAt
        """;

    /// <summary>Queues a delivery due now; a second entry with the same webhook and key is ignored. Returns true when added.</summary>
    public async Task<bool> EnqueueAsync(
        string webhook,
        string payloadJson,
        string idempotencyKey,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await EnqueueAsync(connection, null, webhook, payloadJson, idempotencyKey, now).ConfigureAwait(false) == 1;
    }

    /// <summary>Undelivered entries due at <paramref name="now"/>, oldest due first.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> ListDueAsync(DateTimeOffset now, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<OutboxEntry>(
            $"""
            SELECT {Columns} FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= @Now
            ORDER BY next_attempt_at, id LIMIT @Limit;
            """,
            new { Now = UnixTimeHandlers.ToDb(now), Limit = limit }).ConfigureAwait(false)).AsList();
    }

    /// <summary>
    /// Claims <paramref name="entry"/> for one attempt if it is unchanged since it was listed: attempts + 1 and
    /// next attempt at <paramref name="leaseUntil"/>. False when another sender got it first or it was delivered.
    /// </summary>
    public Task<bool> TryClaimAsync(OutboxEntry entry, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ExecuteAsync(
            """
            UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @LeaseUntil
            WHERE id = @Id AND attempts = @Attempts AND delivered_at IS NULL;
            """,
            new { entry.Id, entry.Attempts, LeaseUntil = UnixTimeHandlers.ToDb(leaseUntil) },
            cancellationToken);
    }

    /// <summary>Marks an entry delivered; true only the first time.</summary>
    public Task<bool> MarkDeliveredAsync(long id, DateTimeOffset deliveredAt, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE outbox SET delivered_at = @At, last_error = NULL WHERE id = @Id AND delivered_at IS NULL;",
            new { Id = id, At = UnixTimeHandlers.ToDb(deliveredAt) },
            cancellationToken);

    /// <summary>Records a failed attempt and when to try again.</summary>
    public Task<bool> ScheduleRetryAsync(long id, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE outbox SET next_attempt_at = @Next, last_error = @Error WHERE id = @Id AND delivered_at IS NULL;",
            new { Id = id, Next = UnixTimeHandlers.ToDb(nextAttemptAt), Error = error },
            cancellationToken);

    /// <summary>One entry by id.</summary>
    public async Task<OutboxEntry?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<OutboxEntry>(
            $"SELECT {Columns} FROM outbox WHERE id = @Id;", new { Id = id }).ConfigureAwait(false);
    }

    /// <summary>Entries not delivered yet.</summary>
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE delivered_at IS NULL;").ConfigureAwait(false);
    }

    internal static Task<int> EnqueueAsync(
        DbConnection connection,
        DbTransaction? transaction,
        string webhook,
        string payloadJson,
        string idempotencyKey,
        DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO outbox (webhook, payload, idempotency_key, attempts, next_attempt_at, created_at)
            VALUES (@Webhook, @Payload, @Key, 0, @Now, @Now)
            ON CONFLICT DO NOTHING;
            """,
            new { Webhook = webhook, Payload = payloadJson, Key = idempotencyKey, Now = UnixTimeHandlers.ToDb(now) },
            transaction);

    private async Task<bool> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(sql, parameters).ConfigureAwait(false) == 1;
    }
}
