using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Telephony.Recording.Storage;

/// <summary>
/// The SQL that differs between SQLite and PostgreSQL, in one place: the stores write SQL both engines accept
/// (<c>ON CONFLICT</c>, <c>RETURNING</c>, integer Unix milliseconds instead of date functions) and take the few
/// remaining differences (scalar max, substring search, list parameters, index hints, session set-up) from here.
/// </summary>
public sealed class SqlDialect
{
    /// <summary>SQLite 3.35 or later (RETURNING, ON CONFLICT DO UPDATE).</summary>
    public static readonly SqlDialect Sqlite = new()
    {
        Provider = StorageProvider.Sqlite,
        Greatest = "max",
        Position = "instr",
        ConnectionSetup = "PRAGMA synchronous = NORMAL;", // WAL + NORMAL: a committed transaction survives a process kill
        MigrationSetup = "PRAGMA journal_mode = WAL;",
        SchemaVersionTable = SchemaVersionTableSql.Replace("BIGINT ", "INTEGER", StringComparison.Ordinal),
        SchemaVersionExists = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';",
    };

    /// <summary>PostgreSQL 13 or later.</summary>
    public static readonly SqlDialect Postgres = new()
    {
        Provider = StorageProvider.Postgres,
        Greatest = "greatest",
        Position = "strpos",
        ConnectionSetup = null,
        MigrationSetup = null,
        SchemaVersionTable = SchemaVersionTableSql,
        SchemaVersionExists = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_version';",
    };

    private const string SchemaVersionTableSql =
        """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at BIGINT  NOT NULL
        );
        """;

    private SqlDialect()
    {
    }

    /// <summary>The engine this dialect speaks to.</summary>
    public StorageProvider Provider { get; private init; }

    /// <summary>Scalar maximum of two or more values: <c>max(a, b)</c> in SQLite, <c>greatest(a, b)</c> in PostgreSQL.</summary>
    public required string Greatest { get; init; }

    /// <summary>1-based position of a substring (0 when absent), arguments (text, part): <c>instr</c> / <c>strpos</c>.</summary>
    public required string Position { get; init; }

    /// <summary>Run on every new connection (null: nothing).</summary>
    public string? ConnectionSetup { get; private init; }

    /// <summary>Run once before migrating (null: nothing).</summary>
    public string? MigrationSetup { get; private init; }

    /// <summary>Creates the <c>schema_version</c> table when missing.</summary>
    public required string SchemaVersionTable { get; init; }

    /// <summary>Returns 1 when the <c>schema_version</c> table exists, else 0.</summary>
    public required string SchemaVersionExists { get; init; }


    /// <summary>Folder of this dialect's migrations under <c>Storage/Schema</c>.</summary>
    public string SchemaFolder => Provider.ToString();

    /// <summary>Locks the rows a read-then-write transaction read (<c>FOR UPDATE</c>); empty in SQLite, whose write
    /// transactions already run one at a time.</summary>
    public string ForUpdate => Provider == StorageProvider.Postgres ? "FOR UPDATE" : "";

    /// <summary>SQLite's <c>INDEXED BY</c> hint (the planner may pick a worse index otherwise); empty in PostgreSQL.</summary>
    public string IndexedBy(string index) => Provider == StorageProvider.Sqlite ? $"INDEXED BY {index}" : "";

    /// <summary><paramref name="column"/> is one of the list parameter <paramref name="parameter"/> (Dapper expands
    /// <c>IN @list</c> for SQLite; it passes an array to Npgsql, compared with <c>= ANY</c>).</summary>
    public string InList(string column, string parameter) =>
        Provider == StorageProvider.Sqlite ? $"{column} IN {parameter}" : $"{column} = ANY({parameter})";

    /// <summary>Begins a transaction on <paramref name="connection"/> (opened for this dialect's engine) whose statements
    /// all read one snapshot, for reports that read in several statements.</summary>
    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (Provider == StorageProvider.Sqlite)
        {
            // A deferred (read) transaction: one WAL snapshot without the write lock that BEGIN IMMEDIATE (the
            // default) takes, so a long report does not hold up the call records and events written meanwhile.
            var sqlite = connection as SqliteConnection
                ?? throw new ArgumentException($"a SQLite snapshot needs a SqliteConnection, not {connection.GetType().Name}", nameof(connection));
            return sqlite.BeginTransaction(deferred: true);
        }

        // Read committed gives each statement its own snapshot; a report that reads in several statements needs one.
        return await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the write lock of <paramref name="key"/> in <paramref name="transaction"/> until it commits or rolls back, so
    /// that writers of one key that read before they write (a next version number, a rollup row) run one at a time.
    /// PostgreSQL: a transaction advisory lock on <c>hashtext(key)</c> (<c>pg_advisory_xact_lock</c>; READ COMMITTED would
    /// let two such writers read the same rows). SQLite: nothing to do, its write transactions already run one at a time.
    /// </summary>
    public async Task LockKeyAsync(DbConnection connection, DbTransaction transaction, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (Provider != StorageProvider.Postgres)
        {
            return;
        }
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext(@Key));", new { Key = key }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The dialect of an open <paramref name="connection"/> (a <see cref="SqliteConnection"/> or an
    /// <see cref="NpgsqlConnection"/>), for helpers that get only the connection.</summary>
    public static SqlDialect Of(DbConnection connection) => connection switch
    {
        SqliteConnection => Sqlite,
        NpgsqlConnection => Postgres,
        null => throw new ArgumentNullException(nameof(connection)),
        _ => throw new ArgumentException($"no SQL dialect for {connection.GetType().Name}", nameof(connection)),
    };

    /// <summary>The dialect of <paramref name="provider"/>.</summary>
    public static SqlDialect For(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => Sqlite,
        StorageProvider.Postgres => Postgres,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown storage provider"),
    };
}
