using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Telephony.Recording.Storage;

/// <summary>
/// The database behind call records, recordings, the event log, alerts and the webhook outbox: an embedded SQLite file
/// (WAL mode, readers never block the writer) or a PostgreSQL server (<see cref="StorageProvider"/>). Short-lived pooled
/// connections, and versioned migrations from embedded <c>Storage/Schema/&lt;Provider&gt;/NNN_name.sql</c> files (the same
/// numbering for both) tracked in a <c>schema_version</c> table, applied at start-up.
/// </summary>
public sealed partial class Database
{
    private const string ResourcePrefix = "Telephony.Recording.Storage.Schema.";

    // Serializes migrations of several nodes starting at once against one PostgreSQL database (any constant key).
    private const long PostgresMigrationLock = 0x54656C6570686F6E;

    private static readonly Lazy<IReadOnlyList<Migration>> SqliteMigrations = new(() => LoadMigrations(SqlDialect.Sqlite));
    private static readonly Lazy<IReadOnlyList<Migration>> PostgresMigrations = new(() => LoadMigrations(SqlDialect.Postgres));

    /// <summary>Uses (and creates when missing) the SQLite database file at <paramref name="path"/>.</summary>
    public Database(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        FilePath = path;
        Dialect = SqlDialect.Sqlite;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30, // [s] also bounds waiting on a busy database
        }.ToString();
        UnixTimeHandlers.Register();
    }

    private readonly NpgsqlDataSource? _dataSource;

    private Database(SqlDialect dialect, string connectionString, string description, string? node = null,
        NpgsqlDataSource? dataSource = null)
    {
        _dataSource = dataSource;
        Dialect = dialect;
        ConnectionString = connectionString;
        FilePath = description;
        Node = node;
        UnixTimeHandlers.Register();
    }

    /// <summary>
    /// The same database as written by cluster node <paramref name="node"/>: call records, recordings and voicemails
    /// carry the node, and start-up recovery and the retention sweep touch only that node's rows (and rows with no
    /// node). Null (a single server) touches every row.
    /// </summary>
    public Database ForNode(string? node) =>
        new(Dialect, ConnectionString, FilePath, string.IsNullOrWhiteSpace(node) ? null : node.Trim(), _dataSource);

    /// <summary>The PostgreSQL database of <paramref name="connectionString"/> (Npgsql keywords: <c>Host=...;Port=...;
    /// Database=...;Username=...;Password=...</c>; <c>Search Path=</c> picks a schema). Nothing is opened yet.</summary>
    public static Database ForPostgres(string connectionString) => ForPostgres(connectionString, null);

    /// <summary>The same, opening its connections from <paramref name="dataSource"/> (a pool shared with other users of
    /// that database, e.g. a cluster node's) rather than from a pool of its own; the data source's owner disposes it.</summary>
    public static Database ForPostgres(string connectionString, NpgsqlDataSource? dataSource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"storage.connectionString is not a PostgreSQL connection string: {e.Message}", e);
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new FormatException("storage.connectionString needs Host=");
        }

        string description = $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}" +
            (string.IsNullOrEmpty(builder.SearchPath) ? "" : $" (schema {builder.SearchPath})");
        return new Database(SqlDialect.Postgres, builder.ConnectionString, description, dataSource: dataSource);
    }

    /// <summary>The database of <paramref name="provider"/>: a file path for SQLite, a connection string for PostgreSQL.</summary>
    public static Database Create(StorageProvider provider, string pathOrConnectionString) => provider switch
    {
        StorageProvider.Sqlite => new Database(pathOrConnectionString),
        StorageProvider.Postgres => ForPostgres(pathOrConnectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown storage provider"),
    };

    /// <summary>SQLite: the database file. PostgreSQL: host, port and database (never the password), for logs.</summary>
    public string FilePath { get; }

    /// <summary>The cluster node writing through this instance (<see cref="ForNode"/>), or null on a single server.</summary>
    public string? Node { get; }

    /// <summary>Connection string used for every connection.</summary>
    public string ConnectionString { get; }

    /// <summary>The engine.</summary>
    public StorageProvider Provider => Dialect.Provider;

    /// <summary>The SQL that differs per engine.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>All SQLite migrations shipped with this build, in version order.</summary>
    public static IReadOnlyList<Migration> Migrations => SqliteMigrations.Value;

    /// <summary>Highest schema version this build knows (the same for every provider).</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>The migrations of <paramref name="provider"/>, in version order.</summary>
    public static IReadOnlyList<Migration> MigrationsOf(StorageProvider provider) =>
        provider == StorageProvider.Postgres ? PostgresMigrations.Value : SqliteMigrations.Value;

    /// <summary>Opens a connection (<see cref="SqliteConnection"/> or <see cref="NpgsqlConnection"/>; dispose it soon:
    /// connections are pooled).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Provider == StorageProvider.Postgres
            ? _dataSource?.CreateConnection() ?? new NpgsqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (Dialect.ConnectionSetup is { } setup && NeedsSetup(connection))
            {
                await connection.ExecuteAsync(setup).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Whether <paramref name="connection"/>'s native handle has not run the dialect's setup yet. Pooled SQLite connections
    /// keep their handle (and the per-connection PRAGMA) from one open to the next: the storage queue opens one per item,
    /// thousands a second at high setup rates, and a PRAGMA round trip each time was as much as the item's own statement.
    /// </summary>
    private bool NeedsSetup(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle })
        {
            return true;
        }

        if (_setUpHandles.TryGetValue(handle, out _))
        {
            return false;
        }

        _setUpHandles.AddOrUpdate(handle, SetUp); // marked before the PRAGMA runs; a failed PRAGMA fails the open anyway
        return true;
    }

    private static readonly object SetUp = new();
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _setUpHandles = new();

    /// <summary>Begins a transaction whose statements all read one snapshot (reports that read in several steps; how is
    /// the dialect's, <see cref="SqlDialect.BeginSnapshotAsync"/>).</summary>
    public Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        Dialect.BeginSnapshotAsync(connection, cancellationToken);

    /// <summary>Forgets pooled connections (tests that delete the database, a schema or a file).</summary>
    public void ClearPool()
    {
        if (_dataSource is not null)
        {
            _dataSource.Clear();
        }
        else if (Provider == StorageProvider.Postgres)
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            NpgsqlConnection.ClearPool(connection);
        }
        else
        {
            using var connection = new SqliteConnection(ConnectionString);
            SqliteConnection.ClearPool(connection);
        }
    }

    /// <summary>Current schema version (0 for an empty database).</summary>
    public async Task<int> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetVersionAsync(connection, null).ConfigureAwait(false);
    }

    /// <summary>Switches to WAL (SQLite) and applies every pending migration. Returns the resulting version.</summary>
    public Task<int> MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrateAsync(LatestVersion, cancellationToken);

    /// <summary>
    /// Switches to WAL (SQLite) and applies pending migrations up to <paramref name="targetVersion"/>, each in its own
    /// transaction together with its <c>schema_version</c> row. Returns the resulting version.
    /// </summary>
    public async Task<int> MigrateAsync(int targetVersion, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (Dialect.MigrationSetup is { } setup)
        {
            await connection.ExecuteAsync(setup).ConfigureAwait(false);
        }

        if (Provider == StorageProvider.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(@Key);", new { Key = PostgresMigrationLock }).ConfigureAwait(false);
        }

        try
        {
            return await MigrateLockedAsync(connection, targetVersion, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (Provider == StorageProvider.Postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@Key);", new { Key = PostgresMigrationLock }).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> MigrateLockedAsync(DbConnection connection, int targetVersion, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(Dialect.SchemaVersionTable).ConfigureAwait(false);

        int current = await GetVersionAsync(connection, null).ConfigureAwait(false);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"Database {FilePath} is at schema version {current}, newer than this build ({LatestVersion}).");
        }

        foreach (Migration migration in MigrationsOf(Provider))
        {
            if (migration.Version <= current || migration.Version > targetVersion)
            {
                continue;
            }

            await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(migration.Sql, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt);",
                new { migration.Version, migration.Name, AppliedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            current = migration.Version;
        }

        return current;
    }

    private async Task<int> GetVersionAsync(DbConnection connection, DbTransaction? transaction)
    {
        bool exists = await connection.ExecuteScalarAsync<long>(Dialect.SchemaVersionExists, transaction: transaction).ConfigureAwait(false) > 0;
        return exists
            ? await connection.ExecuteScalarAsync<int>("SELECT coalesce(max(version), 0) FROM schema_version;", transaction: transaction)
                .ConfigureAwait(false)
            : 0;
    }

    private static List<Migration> LoadMigrations(SqlDialect dialect)
    {
        Assembly assembly = typeof(Database).Assembly;
        string prefix = ResourcePrefix + dialect.SchemaFolder + ".";
        var migrations = new List<Migration>();
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string file = resource[prefix.Length..];
            Match match = MigrationFileName().Match(file);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Schema file {dialect.SchemaFolder}/{file} is not named NNN_name.sql.");
            }

            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(
                int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                match.Groups[2].Value,
                reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (int i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Schema versions of {dialect.SchemaFolder} must run 1, 2, 3...; found {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"^(\d{3})_([a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationFileName();
}
