using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>One connection and its transaction, shared by the writes of a storage-queue batch (see
/// <see cref="Database.BeginWriteBatchAsync"/>). The per-call statements (<see cref="PlainCommand"/>) reuse one command
/// per statement text for the batch's life: SQLite prepares each statement once per batch instead of once per write,
/// and the command and its parameters are not made again for every row.</summary>
public sealed class WriteBatch : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    internal WriteBatch(DbConnection connection, DbTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    /// <summary>Statements prepared in this batch so far (one per distinct text).</summary>
    internal int CachedCommands => _commands.Count;

    public Task CommitAsync(CancellationToken cancellationToken = default) => Transaction.CommitAsync(cancellationToken);

    public Task RollbackAsync(CancellationToken cancellationToken = default) => Transaction.RollbackAsync(cancellationToken);

    /// <summary>
    /// The batch's command for <paramref name="sql"/> with <paramref name="args"/> bound: made on first use, then its
    /// parameters' values set again (rebuilt if another call site lists them differently). Owned by the batch: the
    /// caller does not dispose it. The batch's writes run one at a time (the storage queue's worker), so one command per
    /// text is never in use twice at once.
    /// </summary>
    internal DbCommand Command(string sql, PlainCommand.Arg[] args)
    {
        if (!_commands.TryGetValue(sql, out DbCommand? command))
        {
            command = PlainCommand.Create(Connection, Transaction, sql, args);
            _commands.Add(sql, command);
            return command;
        }

        if (!PlainCommand.TryRebind(command, args))
        {
            command.Parameters.Clear();
            PlainCommand.AddParameters(command, args);
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (DbCommand command in _commands.Values)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        _commands.Clear();
        await Transaction.DisposeAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}
