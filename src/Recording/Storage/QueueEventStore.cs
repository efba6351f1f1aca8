using Dapper;
using System.Data.Common;
using Telephony.Pbx.Contracts;

namespace Telephony.Recording.Storage;

/// <summary>The <c>queue_events</c> table (entered, agent rung, no answer, answered, abandoned, overflowed, transferred)
/// and the queue visits derived from it (<c>queue_visits</c>, the input of the queue statistics).</summary>
public sealed class QueueEventStore(Database database)
{
    private const string Columns =
        "id AS Id, call_id AS CallId, queue AS Queue, kind AS Kind, agent AS Agent, occurred_at AS OccurredAt, detail AS Detail";

    /// <summary>Appends an event and, in the same transaction, keeps the call's queue visit (<c>queue_visits</c>, one
    /// fact per call and queue stay, docs/metrics.md): <c>Entered</c> opens a visit (closing an earlier one of the call
    /// still open as <c>Other</c>: the caller was refused or moved on); <c>Answered</c>, <c>Abandoned</c> and
    /// <c>Overflowed</c> give the open visit of that queue its outcome. Returns the event's id.</summary>
    public async Task<long> AppendAsync(
        string callId,
        string queue,
        QueueEventKind kind,
        DateTimeOffset occurredAt,
        string? agent = null,
        string? detail = null,
        CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long at = UnixTimeHandlers.ToDb(occurredAt);
        long id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO queue_events (call_id, queue, kind, agent, occurred_at, detail)
            VALUES (@CallId, @Queue, @Kind, @Agent, @At, @Detail) RETURNING id;
            """,
            new { CallId = callId, Queue = queue, Kind = kind.ToString(), Agent = agent, At = at, Detail = detail },
            transaction).ConfigureAwait(false);
        var visit = new { CallId = callId, Queue = queue, Kind = kind.ToString(), Agent = agent, At = at };
        switch (kind)
        {
            case QueueEventKind.Entered:
                await QueueVisitRollup.UpdateAsync(connection, transaction, "call_id = @CallId AND outcome IS NULL",
                    "outcome = 'Other', outcome_at = @At", visit).ConfigureAwait(false);
                await QueueVisitRollup.InsertAsync(connection, transaction, "(call_id, queue, entered_at) VALUES (@CallId, @Queue, @At)", visit)
                    .ConfigureAwait(false);
                break;
            case QueueEventKind.Answered or QueueEventKind.Abandoned or QueueEventKind.Overflowed or QueueEventKind.CallbackRequested:
                // 'Other' too: the call's end may have closed the visit just before its abandon was reported.
                await QueueVisitRollup.UpdateAsync(connection, transaction,
                    "id = (SELECT max(id) FROM queue_visits WHERE call_id = @CallId AND queue = @Queue) AND (outcome IS NULL OR outcome = 'Other')",
                    "outcome = @Kind, outcome_at = @At, agent = @Agent", visit).ConfigureAwait(false);
                break;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>The call ended: its queue visits still open are closed as <c>Other</c> at <paramref name="endedAt"/>
    /// (removed by the system; an abandon reported afterwards still replaces it). Returns how many.</summary>
    public async Task<int> CloseVisitsAsync(string callId, DateTimeOffset endedAt, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int closed = await QueueVisitRollup.UpdateAsync(connection, transaction, "call_id = @CallId AND outcome IS NULL",
            "outcome = 'Other', outcome_at = @At", new { CallId = callId, At = UnixTimeHandlers.ToDb(endedAt) }).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return closed;
    }

    /// <summary>Closes, as <c>Other</c> at their call's end, the visits still open of calls that have ended (start-up,
    /// after the call records a crash left open were closed). Returns how many.</summary>
    public async Task<int> CloseVisitsOfEndedCallsAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int closed = await QueueVisitRollup.UpdateAsync(connection, transaction,
            "outcome IS NULL AND EXISTS (SELECT 1 FROM calls c WHERE c.id = queue_visits.call_id AND c.ended_at IS NOT NULL)",
            """
            outcome = 'Other', outcome_at = (SELECT CASE WHEN c.ended_at > queue_visits.entered_at THEN c.ended_at ELSE queue_visits.entered_at END
                                             FROM calls c WHERE c.id = queue_visits.call_id)
            """, null).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return closed;
    }

    /// <summary>Events of one call, in order.</summary>
    public async Task<IReadOnlyList<QueueEvent>> ListByCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
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
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<QueueEvent>(
            $"SELECT {Columns} FROM queue_events WHERE queue = @Queue AND occurred_at >= @From AND occurred_at < @To ORDER BY occurred_at, id;",
            new { Queue = queue, From = UnixTimeHandlers.ToDb(from), To = UnixTimeHandlers.ToDb(to) }).ConfigureAwait(false)).AsList();
    }
}
