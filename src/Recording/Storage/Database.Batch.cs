using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// Write batches (SQLite): the storage queue runs a run of per-call writes (a call's record opened, answered, closed,
/// its events, its recording) in one transaction on one connection instead of a connection and an autocommit each.
/// A commit is most of what such a write costs (the WAL append and the locks), and at a thousand calls a second the
/// nine autocommits a call made were more than the queue's one worker could do (42,000 items behind in a 10 s run,
/// each holding its call's data into the oldest GC generation). The batch is ambient to the async flow that
/// <see cref="UseBatch"/> set it on: <see cref="OpenWriteAsync"/> hands it out to the store methods that take part.
/// PostgreSQL keeps a pooled connection per write (no batch).
/// </summary>
public sealed partial class Database
{
    private readonly AsyncLocal<WriteBatch?> _batch = new();

    /// <summary>Whether this database runs write batches (SQLite).</summary>
    public bool SupportsWriteBatches => Provider == StorageProvider.Sqlite;

    /// <summary>Opens a connection and begins the batch's transaction; null when this database does not batch.</summary>
    public async Task<WriteBatch?> BeginWriteBatchAsync(CancellationToken cancellationToken = default)
    {
        if (!SupportsWriteBatches)
        {
            return null;
        }

        DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new WriteBatch(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Makes <paramref name="batch"/> (null: none) the one <see cref="OpenWriteAsync"/> hands out on the calling flow
    /// and the async work it starts from now on. Synchronous on purpose: set in an async method's caller, an async-local
    /// value would not flow back.
    /// </summary>
    public void UseBatch(WriteBatch? batch) => _batch.Value = batch;

    /// <summary>
    /// A connection for one write: the ambient <see cref="WriteBatch"/>'s (disposing the lease leaves it open), or a
    /// pooled connection of its own (closed on dispose).
    /// </summary>
    public async ValueTask<WriteLease> OpenWriteAsync(CancellationToken cancellationToken = default) =>
        _batch.Value is { } batch
            ? new WriteLease(batch.Connection, batch.Transaction, owned: false, batch)
            : new WriteLease(await OpenAsync(cancellationToken).ConfigureAwait(false), null, owned: true);
}
