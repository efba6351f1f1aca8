using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Telephony.Host.Configuration;
using Telephony.Recording.Storage;

namespace Telephony.Host.Cli;

/// <summary>
/// <c>cluster status</c>: this node's id (<c>cluster.nodeId</c>, else the host name), the storage it is configured with
/// (the SQLite file and its schema version, read only, never created or migrated) and whether a cluster is configured.
/// Exit 0, also when no cluster is configured; 1 for an unreadable configuration; 3 when the database cannot be read.
/// </summary>
public static class ClusterStatus
{
    public static int Run(IReadOnlyList<string> serverArguments, HostConsole console)
    {
        ArgumentNullException.ThrowIfNull(serverArguments);
        ArgumentNullException.ThrowIfNull(console);
        IConfiguration configuration;
        string configDir;
        try
        {
            (configuration, configDir) = TelephonyConfiguration.Load([.. serverArguments]);
        }
        catch (ConfigurationFileException ex)
        {
            console.Error.WriteLine(ex.Message);
            return ExitCodes.Invalid;
        }

        var cluster = configuration.GetSection("cluster");
        var nodeId = cluster["nodeId"] is { Length: > 0 } configured ? configured : Environment.MachineName;
        console.Out.WriteLine($"node: {nodeId}" + (cluster["nodeId"] is { Length: > 0 } ? "" : " (cluster.nodeId not set: the host name)"));

        var provider = configuration["storage:provider"] is { Length: > 0 } p ? p.ToLowerInvariant() : "sqlite";
        var exit = ExitCodes.Ok;
        if (provider == "sqlite")
        {
            var baseDirectory = Directory.GetParent(configDir)?.FullName ?? Directory.GetCurrentDirectory();
            var dataDirectory = Path.GetFullPath(configuration["data:directory"] ?? "data", baseDirectory);
            var database = Path.GetFullPath(configuration["storage:database"] ?? "telephony.db", dataDirectory);
            exit = DescribeSqlite(database, console);
        }
        else if (provider is "postgres" or "postgresql")
        {
            exit = DescribePostgres(configuration["storage:connectionString"], console);
        }
        else
        {
            console.Out.WriteLine($"storage: {provider} (storage.provider; connection details are not printed)");
        }

        if (!cluster.GetChildren().Any(c => !string.Equals(c.Key, "nodeId", StringComparison.OrdinalIgnoreCase)))
        {
            console.Out.WriteLine("cluster: not configured; this node runs alone (no cluster section in telephony.yaml)");
        }
        else
        {
            console.Out.WriteLine("cluster: configured (" + string.Join(", ", cluster.GetChildren().Select(c => c.Key)) +
                "); live membership is not reported by this build");
        }
        return exit;
    }

    /// <summary>The PostgreSQL database's schema version (read only; host, port and database shown, never the password).</summary>
    private static int DescribePostgres(string? connectionString, HostConsole console)
    {
        Database database;
        try
        {
            database = Database.ForPostgres(connectionString ?? "");
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            console.Error.WriteLine($"storage: postgres: {ex.Message}");
            return ExitCodes.Invalid;
        }
        try
        {
            var version = database.GetVersionAsync().GetAwaiter().GetResult();
            console.Out.WriteLine($"storage: postgres {database.FilePath}, schema version {version} (this build: {Database.LatestVersion}, {State(version)})");
            return ExitCodes.Ok;
        }
        catch (System.Data.Common.DbException ex)
        {
            console.Error.WriteLine($"storage: postgres {database.FilePath} cannot be read: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static string State(int version) => version == Database.LatestVersion ? "up to date"
        : version == 0 ? "empty: created at the first start"
        : version < Database.LatestVersion ? "older: migrated at the next start"
        : "newer than this build: the server refuses it";

    private static int DescribeSqlite(string path, HostConsole console)
    {
        if (!File.Exists(path))
        {
            console.Out.WriteLine($"storage: sqlite {path} (not created yet: the server creates it at its first start)");
            return ExitCodes.Ok;
        }
        try
        {
            var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            var hasVersions = connection.ExecuteScalar<long>(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';") > 0;
            var version = hasVersions ? connection.ExecuteScalar<int>("SELECT coalesce(max(version), 0) FROM schema_version;") : 0;
            var state = version == Database.LatestVersion ? "up to date"
                : version < Database.LatestVersion ? "older: migrated at the next start"
                : "newer than this build: the server refuses it";
            console.Out.WriteLine($"storage: sqlite {path}, schema version {version} (this build: {Database.LatestVersion}, {state})");
            return ExitCodes.Ok;
        }
        catch (SqliteException ex)
        {
            console.Error.WriteLine($"storage: sqlite {path} cannot be read: {ex.Message}");
            return ExitCodes.Failure;
        }
    }
}
