using Dapper;
using Microsoft.Data.Sqlite;
using Telephony.Pbx.Contracts;

namespace Telephony.Recording.Storage;

/// <summary>The <c>queue_events</c> table: entered, agent rung, no answer, answered, abandoned, overflowed, transferred.</summary>
public sealed class QueueEventStore(Database database)
{
    private const string Columns =
        "id AS Id, call_id AS CallId, queue AS Queue, kind AS Kind, agent AS Agent, occurred_at AS OccurredAt, detail AS Detail";

    /// <summary>Appends an event; returns its id.</summary>
    public async Task<long> AppendAsync(
        string callId,
        string queue,
        QueueEventKind kind,
        DateTimeOffset occurredAt,
        string? agent = null,
        string? detail = null,
        CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO queue_events (call_id, queue, kind, agent, occurred_at, detail)
            VALUES (@CallId, @Queue, @Kind, @Agent, @At, @Detail) RETURNING id;
            """,
            new { CallId = callId, Queue = queue, Kind = kind.ToString(), Agent = agent, At = UnixTimeHandlers.ToDb(occurredAt), Detail = detail })
            .ConfigureAwait(false);
    }

    /// <summary>Events of one call, in order.</summary>
    public async Task<IReadOnlyList<QueueEvent>> ListByCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<QueueEvent>(
            $"SELECT {Columns} FROM queue_events WHERE call_id = @CallId ORDER BY occurred_at, id;",
            new { CallId = callId }).ConfigureAwait(false)).AsList();
    }

    /// <summary>Events of one queue in [<paramref name="from"/>, <paramref name="to"/>), in order.</summary>
    public async Task<IReadOnlyList<QueueEvent>> ListByQueueAsync(
        string queue,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<QueueEvent>(
            $"SELECT {Columns} FROM queue_events WHERE queue = @Queue AND occurred_at >= @From AND occurred_at < @To ORDER BY occurred_at, id;",
            new { Queue = queue, From = UnixTimeHandlers.ToDb(from), To = UnixTimeHandlers.ToDb(to) }).ConfigureAwait(false)).AsList();
    }
}
