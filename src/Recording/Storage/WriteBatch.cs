using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>One connection and its transaction, shared by the writes of a storage-queue batch (see
/// <see cref="Database.BeginWriteBatchAsync"/>).</summary>
public sealed class WriteBatch : IAsyncDisposable
{
    internal WriteBatch(DbConnection connection, DbTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public Task CommitAsync(CancellationToken cancellationToken = default) => Transaction.CommitAsync(cancellationToken);

    public Task RollbackAsync(CancellationToken cancellationToken = default) => Transaction.RollbackAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}
