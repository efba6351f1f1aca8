using Dapper;
using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// The <c>alerts</c> table. Creating an alert writes, in one transaction, the alert, one outbox entry per
/// webhook (idempotency key <c>alert-{id}</c>) and an <see cref="EventTypes.AlertCreated"/> event, so an alert
/// is never recorded without its deliveries or the other way round.
/// </summary>
public sealed class AlertStore(Database database)
{
    /// <summary>Creates an alert and queues it for <paramref name="webhooks"/> (names); returns its id.</summary>
    public async Task<long> CreateAsync(
        string kind,
        string? callId,
        string? caller,
        string payloadJson,
        DateTimeOffset createdAt,
        IEnumerable<string> webhooks,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long at = UnixTimeHandlers.ToDb(createdAt);
        long id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO alerts (kind, call_id, caller, created_at, payload)
            VALUES (@Kind, @CallId, @Caller, @At, @Payload) RETURNING id;
            """,
            new { Kind = kind, CallId = callId, Caller = caller, At = at, Payload = payloadJson },
            transaction).ConfigureAwait(false);
        foreach (string webhook in webhooks.Distinct(StringComparer.Ordinal))
        {
            await OutboxStore.EnqueueAsync(connection, transaction, webhook, payloadJson, $"alert-{id}", createdAt).ConfigureAwait(false);
        }

        await EventLog.AppendAsync(connection, transaction, EventTypes.AlertCreated, callId, payloadJson, createdAt).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Alerts created in [<paramref name="from"/>, <paramref name="to"/>), newest first.</summary>
    public async Task<IReadOnlyList<Alert>> ListAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<Alert>(
            """
            SELECT id AS Id, kind AS Kind, call_id AS CallId, caller AS Caller, created_at AS CreatedAt, payload AS Payload
            FROM alerts WHERE created_at >= @From AND created_at < @To ORDER BY created_at DESC, id DESC;
            """,
            new { From = UnixTimeHandlers.ToDb(from), To = UnixTimeHandlers.ToDb(to) }).ConfigureAwait(false)).AsList();
    }
}
