using Dapper;
using System.Data.Common;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

public class DatabaseTests
{
    private static readonly string[] LatestTables =
    [
        "agent_current", "agent_handled_rollup", "agent_state_time", "agent_states", "agent_time_rollup", "alerts", "audit",
        "callback_attempts", "callbacks", "calls", "config_versions", "dispositions", "events", "outbox", "queue_events",
        "queue_thresholds", "queue_visit_rollup", "queue_visits", "recordings", "schema_version", "sessions",
        "supervisions", "voicemails",
    ];

    // Postgres/011 and 012: the cluster's shared queue and agent state (src/Cluster/README.md); Sqlite/011 and 012 are empty.
    private static readonly string[] ClusterTables = ["cluster_agents", "cluster_bus_log", "cluster_calls", "cluster_nodes", "queue_dispatches", "queue_leases"];

    private static string[] LatestTablesOf(StorageProvider provider) =>
        provider == StorageProvider.Postgres ? [.. LatestTables.Concat(ClusterTables).Order(StringComparer.Ordinal)] : LatestTables;

    [Fact]
    public void Embedded_migrations_run_one_two_three()
    {
        Assert.Equal(Enumerable.Range(1, Database.Migrations.Count), Database.Migrations.Select(m => m.Version));
        Assert.Equal(Database.Migrations.Count, Database.LatestVersion);
        Assert.Equal("calls_events_recordings", Database.Migrations[0].Name);
    }

    [Fact]
    public void Both_providers_have_the_same_migration_numbers_and_names()
    {
        Assert.Equal(
            Database.MigrationsOf(StorageProvider.Sqlite).Select(m => (m.Version, m.Name)),
            Database.MigrationsOf(StorageProvider.Postgres).Select(m => (m.Version, m.Name)));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Empty_database_migrates_to_latest_in_wal_mode(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider, migrate: false);
        Assert.Equal(0, await db.Database.GetVersionAsync());

        Assert.Equal(Database.LatestVersion, await db.Database.MigrateAsync());

        await using DbConnection connection = await db.Database.OpenAsync();
        if (provider == StorageProvider.Sqlite)
        {
            Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;"));
        }

        Assert.Equal(LatestTablesOf(provider), await SchemaQueries.TablesAsync(connection, provider));
        Assert.Equal(
            Database.Migrations.Select(m => m.Version),
            await connection.QueryAsync<int>("SELECT version FROM schema_version ORDER BY version;"));
    }

    [Fact]
    public async Task Every_sqlite_connection_runs_synchronous_normal_whether_its_handle_is_new_or_reused_from_the_pool()
    {
        using TestDatabase db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        for (int i = 0; i < 3; i++)
        {
            await using DbConnection first = await db.Database.OpenAsync();
            await using DbConnection second = await db.Database.OpenAsync(); // a second handle while the first is out
            Assert.Equal(1, await first.ExecuteScalarAsync<int>("PRAGMA synchronous;")); // 1 = NORMAL (default FULL = 2)
            Assert.Equal(1, await second.ExecuteScalarAsync<int>("PRAGMA synchronous;"));
        }

        db.Database.ClearPool();
        await using DbConnection fresh = await db.Database.OpenAsync();
        Assert.Equal(1, await fresh.ExecuteScalarAsync<int>("PRAGMA synchronous;"));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Migrating_twice_changes_nothing(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        Assert.Equal(Database.LatestVersion, await db.Database.MigrateAsync());
        await using DbConnection connection = await db.Database.OpenAsync();
        Assert.Equal(Database.LatestVersion, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_version;"));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Version_1_database_made_by_hand_upgrades_and_keeps_its_data(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider, migrate: false);
        await using (DbConnection connection = await db.Database.OpenAsync())
        {
            // What a version-1 server left behind: its schema, its version row, and data.
            await connection.ExecuteAsync(Database.MigrationsOf(provider)[0].Sql);
            await connection.ExecuteAsync(db.Database.Dialect.SchemaVersionTable);
            await connection.ExecuteAsync(
                """
                INSERT INTO schema_version VALUES (1, 'calls_events_recordings', 0);
                INSERT INTO calls (id, caller, dialed, started_at, outcome) VALUES ('c1', '+15550001', '+15559999', 1000, 'Answered');
                INSERT INTO events (occurred_at, type, call_id, payload) VALUES (1000, 'call.started', 'c1', '{}');
                INSERT INTO recordings (call_id, path, format, started_at, status) VALUES ('c1', '/r/c1.wav', 'Pcm16', 1000, 'Completed');
                """);
        }

        Assert.Equal(1, await db.Database.GetVersionAsync());
        Assert.Equal(Database.LatestVersion, await db.Database.MigrateAsync());

        CallRecord? call = await new CallStore(db.Database).GetAsync("c1");
        Assert.NotNull(call);
        Assert.Equal("+15550001", call.Caller);
        Assert.Equal(CallOutcome.Answered, call.Outcome);
        Assert.Single(await new EventLog(db.Database).ReadFromAsync(0));
        Assert.Single(await new RecordingStore(db.Database).ListByCallAsync("c1"));
        await using DbConnection after = await db.Database.OpenAsync();
        Assert.Equal(LatestTablesOf(provider), await SchemaQueries.TablesAsync(after, provider));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Partial_migration_to_a_target_version(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider, migrate: false);
        Assert.Equal(1, await db.Database.MigrateAsync(targetVersion: 1));
        await using DbConnection connection = await db.Database.OpenAsync();
        Assert.DoesNotContain("outbox", await SchemaQueries.TablesAsync(connection, provider));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Newer_database_than_this_build_is_refused(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        await using (DbConnection connection = await db.Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO schema_version VALUES (999, 'future', 0);");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.Database.MigrateAsync());
    }
}
