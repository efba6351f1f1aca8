using Microsoft.Extensions.Configuration;
using Telephony.Host.Cli;
using Telephony.Host.Recording;
using Telephony.Host.Tests.Cli;
using Telephony.Recording.Storage;
using Telephony.Recording.Tests.Storage;

namespace Telephony.Host.Tests.Recording;

/// <summary><c>storage.provider</c> and <c>storage.connectionString</c>: SQLite by default, PostgreSQL with a connection
/// string, anything else refused by <c>config check</c> with file, line and field.</summary>
public sealed class StorageSettingsTests
{
    [Fact]
    public void Sqlite_is_the_default_and_keeps_the_file_under_data()
    {
        var settings = RecordingSettings.Load(Config([]), "/srv/data");

        Assert.Equal(StorageProvider.Sqlite, settings.Provider);
        Assert.Equal(Path.GetFullPath("/srv/data/telephony.db"), settings.Database);
        Assert.Equal(StorageProvider.Sqlite, settings.CreateDatabase().Provider);
    }

    [Fact]
    public void Postgres_with_a_connection_string_opens_postgres_and_never_shows_the_password()
    {
        var settings = RecordingSettings.Load(Config(new()
        {
            ["storage:provider"] = "postgres",
            ["storage:connectionString"] = "Host=127.0.0.1;Port=5432;Database=telephony;Username=telephony;Password=s3cret",
        }), "/srv/data");

        Database database = settings.CreateDatabase();
        Assert.Equal(StorageProvider.Postgres, database.Provider);
        Assert.Same(SqlDialect.Postgres, database.Dialect);
        Assert.Equal("postgres://127.0.0.1:5432/telephony", settings.DescribeStorage());
        Assert.DoesNotContain("s3cret", database.FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_refused() =>
        Assert.StartsWith("storage.connectionString is required",
            Assert.Throws<FormatException>(() => RecordingSettings.Load(Config(new() { ["storage:provider"] = "postgres" }), "/d")).Message,
            StringComparison.Ordinal);

    [Fact]
    public void A_connection_string_with_an_unknown_keyword_is_refused() =>
        Assert.StartsWith("storage.connectionString is not a PostgreSQL connection string",
            Assert.Throws<FormatException>(() => RecordingSettings.Load(Config(new()
            {
                ["storage:provider"] = "postgres", ["storage:connectionString"] = "Server=x;Flavour=vanilla",
            }), "/d")).Message, StringComparison.Ordinal);

    [Fact]
    public void Config_check_names_file_line_and_field_of_a_bad_provider()
    {
        using var copy = new SampleConfigCopy();
        var line = copy.Replace("telephony.yaml", "  database: telephony.db", "  provider: oracle\n  database: telephony.db");

        var run = CliRun.Of("config", "check", "--config", copy.Config);

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        Assert.Contains($"{copy.PathOf("telephony.yaml")}:{line}:3: storage.provider 'oracle' is not one of sqlite, postgres", run.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Config_check_accepts_postgres_with_a_connection_string_and_reports_it()
    {
        using var copy = new SampleConfigCopy();
        copy.Replace("telephony.yaml", "  database: telephony.db",
            "  provider: postgres\n  connectionString: Host=127.0.0.1;Database=telephony;Username=telephony;Password=pw\n  database: telephony.db");

        var run = CliRun.Of("config", "check", "--config", copy.Config);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("(database postgres: postgres://127.0.0.1:5432/telephony)", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", run.Out, StringComparison.Ordinal);
    }

    [Theory, PostgresData]
    public async Task Cluster_status_reads_the_postgres_schema_version_without_creating_anything(StorageProvider provider)
    {
        Assert.Equal(StorageProvider.Postgres, provider);
        string schema = await TestPostgres.CreateSchemaAsync();
        try
        {
            string connectionString = TestPostgres.ConnectionStringFor(schema);
            string[] args = ["cluster", "status", "--config", SampleConfigCopy.SampleConfig, "--storage:provider=postgres",
                $"--storage:connectionString={connectionString}"];
            var empty = CliRun.Of(args);
            Assert.Equal(ExitCodes.Ok, empty.ExitCode);
            Assert.Contains("schema version 0 (this build:", empty.Out, StringComparison.Ordinal);

            Database database = Database.ForPostgres(connectionString);
            await database.MigrateAsync();
            database.ClearPool();
            var migrated = CliRun.Of(args);
            Assert.Contains($"schema version {Database.LatestVersion} (this build: {Database.LatestVersion}, up to date)", migrated.Out,
                StringComparison.Ordinal);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            TestPostgres.DropSchema(schema);
        }
    }

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
