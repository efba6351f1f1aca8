using System.Data;

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
        SnapshotIsolation = IsolationLevel.Unspecified,
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
        // Read committed gives each statement its own snapshot; a report that reads in several statements needs one.
        SnapshotIsolation = IsolationLevel.RepeatableRead,
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

    /// <summary>Isolation of a read that must see one snapshot across statements (Unspecified: the engine's default,
    /// already one snapshot in SQLite's WAL).</summary>
    public IsolationLevel SnapshotIsolation { get; private init; }

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

    /// <summary>The dialect of <paramref name="provider"/>.</summary>
    public static SqlDialect For(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => Sqlite,
        StorageProvider.Postgres => Postgres,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown storage provider"),
    };
}
