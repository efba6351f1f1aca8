using Dapper;
using System.Data.Common;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Storage;

/// <summary>The <c>recordings</c> table: one row per recording file, with its status life cycle.</summary>
public sealed class RecordingStore(Database database)
{
    private const string Columns =
        """
        id AS Id, call_id AS CallId, path AS Path, format AS Format, started_at AS StartedAt,
        duration_ms AS Duration, size_bytes AS SizeBytes, sha256 AS Sha256, status AS Status
        """;

    /// <summary>Registers a recording that is starting (status <see cref="RecordingStatus.Recording"/>); returns its id.</summary>
    public async Task<long> StartAsync(
        string callId,
        string path,
        RecordingFormat format,
        DateTimeOffset startedAt,
        CancellationToken cancellationToken = default)
    {
        await using WriteLease write = await database.OpenWriteAsync(cancellationToken).ConfigureAwait(false); // a storage-queue batch's, if any
        return await PlainCommand.ExecuteInt64Async(write,
            """
            INSERT INTO recordings (call_id, path, format, started_at, status, node)
            VALUES (@CallId, @Path, @Format, @StartedAt, 'Recording', @Node) RETURNING id;
            """,
            PlainCommand.Text("@CallId", callId), PlainCommand.Text("@Path", path), PlainCommand.Text("@Format", format.ToString()),
            PlainCommand.Int64("@StartedAt", UnixTimeHandlers.ToDb(startedAt)), PlainCommand.Text("@Node", database.Node))
            .ConfigureAwait(false);
    }

    /// <summary>Closes a recording with its final figures and status (Completed or Interrupted).</summary>
    public async Task<bool> FinishAsync(
        long id,
        RecordingStatus status,
        TimeSpan duration,
        long sizeBytes,
        string? sha256,
        CancellationToken cancellationToken = default)
    {
        await using WriteLease write = await database.OpenWriteAsync(cancellationToken).ConfigureAwait(false); // a storage-queue batch's, if any
        return await PlainCommand.ExecuteAsync(write,
            """
            UPDATE recordings SET status = @Status, duration_ms = @DurationMs, size_bytes = @SizeBytes, sha256 = @Sha256
            WHERE id = @Id;
            """,
            PlainCommand.Int64("@Id", id), PlainCommand.Text("@Status", status.ToString()),
            PlainCommand.Int64("@DurationMs", UnixTimeHandlers.ToDb(duration)), PlainCommand.Int64("@SizeBytes", sizeBytes),
            PlainCommand.Text("@Sha256", sha256))
            .ConfigureAwait(false) == 1;
    }

    /// <summary>Marks a recording deleted (its file is gone).</summary>
    public async Task<bool> MarkDeletedAsync(long id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "UPDATE recordings SET status = 'Deleted' WHERE id = @Id AND status <> 'Deleted';", new { Id = id })
            .ConfigureAwait(false) == 1;
    }

    /// <summary>One recording by id.</summary>
    public async Task<RecordingEntry?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<RecordingEntry>(
            $"SELECT {Columns} FROM recordings WHERE id = @Id;", new { Id = id }).ConfigureAwait(false);
    }

    /// <summary>Recordings of one interaction, oldest first.</summary>
    public Task<IReadOnlyList<RecordingEntry>> ListByCallAsync(string callId, CancellationToken cancellationToken = default) =>
        ListAsync("call_id = @CallId", new { CallId = callId }, cancellationToken);

    /// <summary>Recordings in a status, oldest first. On a cluster node (<see cref="Database.Node"/>) only the ones this
    /// node wrote (and unattributed ones): the files of the others are on their machines.</summary>
    public Task<IReadOnlyList<RecordingEntry>> ListByStatusAsync(RecordingStatus status, CancellationToken cancellationToken = default) =>
        ListAsync("status = @Status AND (@Node IS NULL OR node IS NULL OR node = @Node)", new { Status = status.ToString(), database.Node }, cancellationToken);

    /// <summary>Closed (completed or interrupted) recordings started before <paramref name="cutoff"/> (on a cluster node,
    /// its own and unattributed ones, as <see cref="ListByStatusAsync"/>).</summary>
    public Task<IReadOnlyList<RecordingEntry>> ListClosedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        ListAsync(
            "status IN ('Completed', 'Interrupted') AND started_at < @Cutoff AND (@Node IS NULL OR node IS NULL OR node = @Node)",
            new { Cutoff = UnixTimeHandlers.ToDb(cutoff), database.Node },
            cancellationToken);

    /// <summary>Every recording not deleted (for the reconciler).</summary>
    public Task<IReadOnlyList<RecordingEntry>> ListNotDeletedAsync(CancellationToken cancellationToken = default) =>
        ListAsync("status <> 'Deleted'", null, cancellationToken);

    private async Task<IReadOnlyList<RecordingEntry>> ListAsync(string where, object? parameters, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        IEnumerable<RecordingEntry> rows = await connection.QueryAsync<RecordingEntry>(
            $"SELECT {Columns} FROM recordings WHERE {where} ORDER BY started_at, id;", parameters).ConfigureAwait(false);
        return rows.AsList();
    }
}
