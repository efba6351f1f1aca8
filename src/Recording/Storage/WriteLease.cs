using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>A connection for one write (<see cref="Database.OpenWriteAsync"/>): the ambient batch's, left open on
/// dispose, or its own, closed on dispose.</summary>
public readonly struct WriteLease : IAsyncDisposable, IEquatable<WriteLease>
{
    private readonly bool _owned;

    internal WriteLease(DbConnection connection, DbTransaction? transaction, bool owned, WriteBatch? batch = null)
    {
        Connection = connection;
        Transaction = transaction;
        _owned = owned;
        Batch = batch;
    }

    /// <summary>The storage-queue batch whose connection this is, or null.</summary>
    internal WriteBatch? Batch { get; }

    public DbConnection Connection { get; }

    /// <summary>The batch's transaction, or null (autocommit).</summary>
    public DbTransaction? Transaction { get; }

    public ValueTask DisposeAsync() => _owned ? Connection.DisposeAsync() : ValueTask.CompletedTask;

    public bool Equals(WriteLease other) => ReferenceEquals(Connection, other.Connection) && ReferenceEquals(Transaction, other.Transaction);

    public override bool Equals(object? obj) => obj is WriteLease other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Connection, Transaction);

    public static bool operator ==(WriteLease left, WriteLease right) => left.Equals(right);

    public static bool operator !=(WriteLease left, WriteLease right) => !left.Equals(right);
}
