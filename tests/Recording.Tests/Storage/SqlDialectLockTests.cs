using System.Data.Common;
using Dapper;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

/// <summary><see cref="SqlDialect.LockKeyAsync"/>: writers of one key run one at a time until their transaction ends
/// (PostgreSQL: a transaction advisory lock; SQLite: nothing to take, its writers are serial already).</summary>
public class SqlDialectLockTests
{
    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task The_dialect_of_an_open_connection_is_its_engines(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider, migrate: false);
        await using DbConnection connection = await db.Database.OpenAsync();

        Assert.Same(db.Database.Dialect, SqlDialect.Of(connection));
        await using DbTransaction transaction = await connection.BeginTransactionAsync();
        await db.Database.Dialect.LockKeyAsync(connection, transaction, "k"); // SQLite: returns at once
        await transaction.CommitAsync();
    }

    [Theory, PostgresData]
    public async Task A_second_writer_of_one_key_waits_for_the_first_to_commit_and_another_key_does_not(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider, migrate: false);
        SqlDialect dialect = db.Database.Dialect;
        await using DbConnection first = await db.Database.OpenAsync();
        await using DbConnection second = await db.Database.OpenAsync();
        await using DbConnection other = await db.Database.OpenAsync();
        await using DbTransaction firstTx = await first.BeginTransactionAsync();
        await using DbTransaction secondTx = await second.BeginTransactionAsync();
        await using DbTransaction otherTx = await other.BeginTransactionAsync();

        int secondPid = await second.ExecuteScalarAsync<int>("SELECT pg_backend_pid();", transaction: secondTx);
        await dialect.LockKeyAsync(first, firstTx, "config_versions:ivr");
        await dialect.LockKeyAsync(other, otherTx, "config_versions:queues"); // another key: not held up
        Task waiting = dialect.LockKeyAsync(second, secondTx, "config_versions:ivr");
        // PostgreSQL shows the second writer waiting for the advisory lock (not granted) while the first holds it.
        for (int i = 0; i < 500 && await other.ExecuteScalarAsync<long>(
                 "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND pid = @Pid;",
                 new { Pid = secondPid }, otherTx) == 0; i++)
        {
            await Task.Delay(10);
        }
        Assert.Equal(1, await other.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND pid = @Pid;",
            new { Pid = secondPid }, otherTx));
        Assert.False(waiting.IsCompleted, "the second writer of the key got the lock while the first held it");

        await firstTx.CommitAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        await secondTx.CommitAsync();
        await otherTx.CommitAsync();
    }
}
