using Dapper;
using Microsoft.Data.Sqlite;
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

    [Fact]
    public void Embedded_migrations_run_one_two_three()
    {
        Assert.Equal(Enumerable.Range(1, Database.Migrations.Count), Database.Migrations.Select(m => m.Version));
        Assert.Equal(Database.Migrations.Count, Database.LatestVersion);
        Assert.Equal("calls_events_recordings", Database.Migrations[0].Name);
    }

    [Fact]
    public async Task Empty_database_migrates_to_latest_in_wal_mode()
    {
        using TestDatabase db = await TestDatabase.CreateAsync(migrate: false);
        Assert.Equal(0, await db.Database.GetVersionAsync());

        Assert.Equal(Database.LatestVersion, await db.Database.MigrateAsync());

        await using SqliteConnection connection = await db.Database.OpenAsync();
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;"));
        Assert.Equal(LatestTables, await Tables(connection));
        Assert.Equal(
            Database.Migrations.Select(m => m.Version),
            await connection.QueryAsync<int>("SELECT version FROM schema_version ORDER BY version;"));
    }

    [Fact]
    public async Task Migrating_twice_changes_nothing()
    {
        using TestDatabase db = await TestDatabase.CreateAsync();
        Assert.Equal(Database.LatestVersion, await db.Database.MigrateAsync());
        await using SqliteConnection connection = await db.Database.OpenAsync();
        Assert.Equal(Database.LatestVersion, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_version;"));
    }

    [Fact]
    public async Task Version_1_database_made_by_hand_upgrades_and_keeps_its_data()
    {
        using TestDatabase db = await TestDatabase.CreateAsync(migrate: false);
        await using (var connection = new SqliteConnection($"Data Source={db.Database.FilePath}"))
        {
            // What a version-1 server left behind: its schema, its version row, and data.
            await connection.OpenAsync();
            await connection.ExecuteAsync(Database.Migrations[0].Sql);
            await connection.ExecuteAsync(
                """
                CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
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
        await using SqliteConnection after = await db.Database.OpenAsync();
        Assert.Equal(LatestTables, await Tables(after));
    }

    [Fact]
    public async Task Partial_migration_to_a_target_version()
    {
        using TestDatabase db = await TestDatabase.CreateAsync(migrate: false);
        Assert.Equal(1, await db.Database.MigrateAsync(targetVersion: 1));
        await using SqliteConnection connection = await db.Database.OpenAsync();
        Assert.DoesNotContain("outbox", await Tables(connection));
    }

    [Fact]
    public async Task Newer_database_than_this_build_is_refused()
    {
        using TestDatabase db = await TestDatabase.CreateAsync();
        await using (SqliteConnection connection = await db.Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO schema_version VALUES (999, 'future', 0);");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.Database.MigrateAsync());
    }

    private static async Task<List<string>> Tables(SqliteConnection connection) =>
        (await connection.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;")).AsList();
}
