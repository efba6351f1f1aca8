using Dapper;
using System.Data.Common;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

public class SupervisionStoreTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Started_switched_and_ended_supervision_is_one_row_per_mode_with_times(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new SupervisionStore(db.Database);
        await store.StartAsync("c1", "s1", "2001", "1001", "Listen", T0);
        await store.SwitchModeAsync("c1", "s1", "2001", "1001", "Whisper", T0.AddSeconds(5));
        await store.SwitchModeAsync("c1", "s1", "2001", "1001", "Barge", T0.AddSeconds(9));
        await store.EndAsync("s1", T0.AddSeconds(12));
        await store.StartAsync("other", "s2", "2001", "1002", "Listen", T0); // another call: not listed

        IReadOnlyList<SupervisionRecord> rows = await store.ListByCallAsync("c1");

        Assert.Equal(["Listen", "Whisper", "Barge"], rows.Select(r => r.Mode));
        Assert.All(rows, r => Assert.Equal(("c1", "s1", "2001", "1001"), (r.CallId, r.SupervisorCallId, r.Supervisor, r.Agent)));
        Assert.Equal([T0, T0.AddSeconds(5), T0.AddSeconds(9)], rows.Select(r => r.StartedAt));
        Assert.Equal([T0.AddSeconds(5), T0.AddSeconds(9), T0.AddSeconds(12)], rows.Select(r => r.EndedAt));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task An_open_segment_has_no_end_and_ending_twice_changes_nothing(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new SupervisionStore(db.Database);
        await store.StartAsync("c1", "s1", "2001", "1001", "Barge", T0);
        Assert.Null(Assert.Single(await store.ListByCallAsync("c1")).EndedAt);

        await store.EndAsync("s1", T0.AddSeconds(3));
        await store.EndAsync("s1", T0.AddSeconds(30));

        Assert.Equal(T0.AddSeconds(3), Assert.Single(await store.ListByCallAsync("c1")).EndedAt);
        Assert.Empty(await store.ListByCallAsync("nobody"));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Two_supervisors_one_after_the_other_keep_their_own_segments(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new SupervisionStore(db.Database);
        await store.StartAsync("c1", "s1", "2001", "1001", "Listen", T0);
        await store.EndAsync("s1", T0.AddSeconds(2));
        await store.StartAsync("c1", "s2", "2002", "1001", "Whisper", T0.AddSeconds(4));
        await store.SwitchModeAsync("c1", "s2", "2002", "1001", "TakeOver", T0.AddSeconds(6));

        IReadOnlyList<SupervisionRecord> rows = await store.ListByCallAsync("c1");

        Assert.Equal(["2001 Listen 2", "2002 Whisper 6", "2002 TakeOver -"],
            rows.Select(r => $"{r.Supervisor} {r.Mode} {(r.EndedAt is { } e ? (e - T0).TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")}"));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Version_2_database_with_data_upgrades_to_supervisions(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider, migrate: false);
        Assert.Equal(2, await db.Database.MigrateAsync(targetVersion: 2));
        await using (DbConnection connection = await db.Database.OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO calls (id, caller, dialed, started_at, outcome) VALUES ('c1', '1002', '1001', 1000, 'Answered');");
            Assert.DoesNotContain("supervisions", await SchemaQueries.TablesAsync(connection, provider));
        }

        Assert.Equal(Database.LatestVersion, await db.Database.MigrateAsync());

        Assert.Equal("1002", (await new CallStore(db.Database).GetAsync("c1"))!.Caller);
        var store = new SupervisionStore(db.Database);
        await store.StartAsync("c1", "s1", "2001", "1001", "Listen", T0);
        Assert.Single(await store.ListByCallAsync("c1"));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Empty_database_gets_the_supervisions_table_and_its_indexes(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider, migrate: false);
        Assert.True(await db.Database.MigrateAsync() >= 3);
        Assert.Contains(Database.Migrations, m => m is { Version: 3, Name: "supervisions" });

        await using DbConnection connection = await db.Database.OpenAsync();
        var indexes = await SchemaQueries.IndexesAsync(connection, provider, "supervisions");
        Assert.Equal(["ix_supervisions_call_id", "ix_supervisions_open"], indexes);
    }
}
