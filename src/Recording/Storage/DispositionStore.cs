using Dapper;
using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// Disposition codes: <see cref="SetAsync"/> writes, in one transaction, the change (<c>dispositions</c>), the latest codes
/// and note on the call record (<c>calls.disposition</c>, <c>disposition_note</c>) and a <c>call.disposition</c> event.
/// </summary>
public sealed class DispositionStore(Database database)
{
    /// <summary>Sets call <paramref name="callId"/>'s codes and note; returns the stored entry, or null for an unknown call.</summary>
    public async Task<DispositionEntry?> SetAsync(string callId, string? queue, IReadOnlyList<string> codes, string? note, string setBy,
        string source, DateTimeOffset at, string eventPayloadJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        string joined = string.Join(',', codes);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int changed = await connection.ExecuteAsync(
            "UPDATE calls SET disposition = @Codes, disposition_note = @Note WHERE id = @Id;",
            new { Id = callId, Codes = joined, Note = note }, transaction).ConfigureAwait(false);
        if (changed != 1)
        {
            return null;
        }

        long id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO dispositions (call_id, queue, codes, note, set_by, source, set_at)
            VALUES (@CallId, @Queue, @Codes, @Note, @SetBy, @Source, @At) RETURNING id;
            """,
            new { CallId = callId, Queue = queue, Codes = joined, Note = note, SetBy = setBy, Source = source, At = UnixTimeHandlers.ToDb(at) },
            transaction).ConfigureAwait(false);
        await EventLog.AppendAsync(connection, transaction, EventTypes.CallDisposition, callId, eventPayloadJson, at).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new DispositionEntry
        {
            Id = id, CallId = callId, Queue = queue, Codes = joined, Note = note, SetBy = setBy, Source = source, SetAt = at,
        };
    }

    /// <summary>Every change of call <paramref name="callId"/>'s disposition, oldest first.</summary>
    public async Task<IReadOnlyList<DispositionEntry>> ListByCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<DispositionEntry>(
            """
            SELECT id AS Id, call_id AS CallId, queue AS Queue, codes AS Codes, note AS Note, set_by AS SetBy, source AS Source,
                   set_at AS SetAt
            FROM dispositions WHERE call_id = @CallId ORDER BY id;
            """, new { CallId = callId }).ConfigureAwait(false)).AsList();
    }
}
