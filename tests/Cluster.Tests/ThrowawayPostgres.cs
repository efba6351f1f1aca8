using System.Diagnostics;
using Npgsql;

namespace Telephony.Cluster.Tests;

/// <summary>
/// A real PostgreSQL for the lease tests: the server named by <c>TELEPHONY_TEST_POSTGRES</c> (a connection string; the
/// tests get their own schema, dropped at the end), otherwise a throwaway server started here with <c>initdb</c> and
/// <c>pg_ctl</c> in a temp folder, listening on a Unix socket only (no TCP port to collide with), as the current user
/// or as <c>postgres</c> when run as root (initdb refuses root). Stopped and deleted on dispose.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncLifetime
{
    /// <summary>Environment variable naming an existing server (Npgsql connection string).</summary>
    public const string EnvironmentVariable = "TELEPHONY_TEST_POSTGRES";

    private string? _dataDirectory;
    private string? _binDirectory;
    private string? _schema;

    /// <summary>The data source the tests use (search path = the tests' schema with an external server).</summary>
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>The connection string of <see cref="DataSource"/>.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Why the tests cannot run here, or null when a server is available.</summary>
    public static string? SkipReason =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } || FindBinDirectory() is not null
            ? null
            : $"no PostgreSQL: set {EnvironmentVariable} to a connection string or install postgresql (initdb, pg_ctl)";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
        {
            _schema = "cluster_test_" + Guid.NewGuid().ToString("N")[..12];
            await using (var admin = NpgsqlDataSource.Create(external))
            {
                await using var create = admin.CreateCommand($"CREATE SCHEMA {_schema}");
                await create.ExecuteNonQueryAsync();
            }
            ConnectionString = new NpgsqlConnectionStringBuilder(external) { SearchPath = _schema }.ConnectionString;
            DataSource = NpgsqlDataSource.Create(ConnectionString);
            await MigrateAsync();
            return;
        }

        _binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(SkipReason);
        _dataDirectory = Directory.CreateTempSubdirectory("telephony-cluster-pg-").FullName;
        bool root = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";
        if (root)
        {
            Run("chown", "postgres", _dataDirectory);
        }
        RunAs(root, Path.Combine(_binDirectory, "initdb"), "-D", _dataDirectory, "-U", "telephony", "--auth=trust", "-E", "UTF8");
        RunAs(root, Path.Combine(_binDirectory, "pg_ctl"), "-D", _dataDirectory, "-l", Path.Combine(_dataDirectory, "server.log"),
            "-w", "-t", "30", "-o", $"-c listen_addresses='' -k {_dataDirectory} -c fsync=off -c max_connections=50", "start");
        ConnectionString = $"Host={_dataDirectory};Username=telephony;Database=postgres;Pooling=true;Maximum Pool Size=20";
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await MigrateAsync();
    }

    /// <summary>The tables come from the PostgreSQL migrations (Recording's <c>Schema/Postgres</c>, 011 for the cluster).</summary>
    private Task<int> MigrateAsync() => Telephony.Recording.Storage.Database.ForPostgres(ConnectionString).MigrateAsync();

    public async Task DisposeAsync()
    {
        if (_schema is not null && Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
        {
            await using var admin = NpgsqlDataSource.Create(external);
            await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }
        if (_dataDirectory is not null && _binDirectory is not null)
        {
            bool root = Environment.UserName == "root";
            RunAs(root, Path.Combine(_binDirectory, "pg_ctl"), "-D", _dataDirectory, "-m", "immediate", "-w", "stop");
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder.
            }
        }
    }

    private static string? FindBinDirectory()
    {
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            foreach (var dir in Directory.GetDirectories("/usr/lib/postgresql").OrderDescending())
            {
                if (File.Exists(Path.Combine(dir, "bin", "initdb")) && File.Exists(Path.Combine(dir, "bin", "pg_ctl")))
                {
                    return Path.Combine(dir, "bin");
                }
            }
        }
        return null;
    }

    private static void RunAs(bool root, string program, params string[] arguments)
    {
        if (root)
        {
            Run("runuser", ["-u", "postgres", "--", program, .. arguments]);
        }
        else
        {
            Run(program, arguments);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr}{stdout.Result}");
        }
    }
}
