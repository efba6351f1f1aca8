using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Telephony.Recording.Storage;

/// <summary>
/// The SQLite database behind call records, recordings, the event log, alerts and the webhook outbox.
/// WAL mode (readers never block the writer), short-lived pooled connections, and versioned migrations from
/// embedded <c>Storage/Schema/NNN_name.sql</c> files tracked in a <c>schema_version</c> table, applied at start-up.
/// </summary>
public sealed partial class Database
{
    private const string ResourcePrefix = "Telephony.Recording.Storage.Schema.";
    private static readonly Lazy<IReadOnlyList<Migration>> AllMigrations = new(LoadMigrations);

    /// <summary>Uses (and creates when missing) the database file at <paramref name="path"/>.</summary>
    public Database(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        FilePath = path;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30, // [s] also bounds waiting on a busy database
        }.ToString();
        UnixTimeHandlers.Register();
    }

    /// <summary>Database file.</summary>
    public string FilePath { get; }

    /// <summary>Connection string used for every connection.</summary>
    public string ConnectionString { get; }

    /// <summary>All migrations shipped with this build, in version order.</summary>
    public static IReadOnlyList<Migration> Migrations => AllMigrations.Value;

    /// <summary>Highest schema version this build knows.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Opens a connection (dispose it soon: connections are pooled).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // WAL + NORMAL: a committed transaction survives a process kill (not necessarily a power cut).
            await connection.ExecuteAsync("PRAGMA synchronous = NORMAL;").ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Current schema version (0 for an empty database).</summary>
    public async Task<int> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetVersionAsync(connection).ConfigureAwait(false);
    }

    /// <summary>Switches to WAL and applies every pending migration. Returns the resulting version.</summary>
    public Task<int> MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrateAsync(LatestVersion, cancellationToken);

    /// <summary>
    /// Switches to WAL and applies pending migrations up to <paramref name="targetVersion"/>, each in its own
    /// transaction together with its <c>schema_version</c> row. Returns the resulting version.
    /// </summary>
    public async Task<int> MigrateAsync(int targetVersion, CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at INTEGER NOT NULL
            );
            """).ConfigureAwait(false);

        int current = await GetVersionAsync(connection).ConfigureAwait(false);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"Database {FilePath} is at schema version {current}, newer than this build ({LatestVersion}).");
        }

        foreach (Migration migration in Migrations)
        {
            if (migration.Version <= current || migration.Version > targetVersion)
            {
                continue;
            }

            await using var transaction = (SqliteTransaction)await connection
                .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
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

    private static async Task<int> GetVersionAsync(SqliteConnection connection)
    {
        bool exists = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';").ConfigureAwait(false) > 0;
        return exists
            ? await connection.ExecuteScalarAsync<int>("SELECT coalesce(max(version), 0) FROM schema_version;").ConfigureAwait(false)
            : 0;
    }

    private static List<Migration> LoadMigrations()
    {
        Assembly assembly = typeof(Database).Assembly;
        var migrations = new List<Migration>();
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            string file = resource[ResourcePrefix.Length..];
            Match match = MigrationFileName().Match(file);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Schema file {file} is not named NNN_name.sql.");
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
                throw new InvalidOperationException($"Schema versions must run 1, 2, 3...; found {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"^(\d{3})_([a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationFileName();
}
