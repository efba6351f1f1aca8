using Dapper;
using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// Append-only log of call, queue, agent, recording and alert events with a sequence number. Call records,
/// statistics and alerts derive from it; a live stream replays from a client's Last-Event-ID with
/// <see cref="ReadFromAsync"/>.
/// </summary>
public sealed class EventLog(Database database)
{
    private const string InsertSql =
        "INSERT INTO events (occurred_at, type, call_id, payload) VALUES (@At, @Type, @CallId, @Payload) RETURNING sequence;";

    /// <summary>Appends an event; returns its sequence number.</summary>
    public async Task<long> AppendAsync(
        string type,
        string? callId,
        string payloadJson,
        DateTimeOffset occurredAt,
        CancellationToken cancellationToken = default)
    {
        await using WriteLease write = await database.OpenWriteAsync(cancellationToken).ConfigureAwait(false); // a storage-queue batch's, if any
        return await PlainCommand.ExecuteInt64Async(write, InsertSql, Args(type, callId, payloadJson, occurredAt)).ConfigureAwait(false);
    }

    /// <summary>
    /// Events with a sequence number greater than <paramref name="afterSequence"/> (the last one the client saw;
    /// 0 for everything), oldest first, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadFromAsync(
        long afterSequence,
        int limit = 1000,
        CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        IEnumerable<StoredEvent> rows = await connection.QueryAsync<StoredEvent>(
            """
            SELECT sequence AS Sequence, occurred_at AS OccurredAt, type AS Type, call_id AS CallId, payload AS Payload
            FROM events WHERE sequence > @AfterSequence ORDER BY sequence LIMIT @Limit;
            """,
            new { AfterSequence = afterSequence, Limit = limit }).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>Highest sequence number written so far (0 when empty).</summary>
    public async Task<long> LastSequenceAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT coalesce(max(sequence), 0) FROM events;").ConfigureAwait(false);
    }

    /// <summary>One INSERT per event, several per call: a plain command with exact parameter names (<see cref="PlainCommand"/>).</summary>
    internal static Task<long> AppendAsync(
        DbConnection connection,
        DbTransaction? transaction,
        string type,
        string? callId,
        string payloadJson,
        DateTimeOffset occurredAt) =>
        PlainCommand.ExecuteInt64Async(connection, transaction, InsertSql, Args(type, callId, payloadJson, occurredAt));

    private static PlainCommand.Arg[] Args(string type, string? callId, string payloadJson, DateTimeOffset occurredAt) =>
    [
        PlainCommand.Int64("@At", UnixTimeHandlers.ToDb(occurredAt)),
        PlainCommand.Text("@Type", type),
        PlainCommand.Text("@CallId", callId),
        PlainCommand.Text("@Payload", payloadJson),
    ];
}
