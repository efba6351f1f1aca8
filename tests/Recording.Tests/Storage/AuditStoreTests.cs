using Dapper;
using System.Data.Common;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

public class AuditStoreTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static AuditEntry Entry(int second, string actor, string action, string outcome = AuditOutcomes.Ok, string? target = null) => new()
    {
        OccurredAt = T0.AddSeconds(second),
        Actor = actor,
        Role = "admin",
        Source = "127.0.0.1",
        Action = action,
        Target = target,
        Outcome = outcome,
        Detail = """{"k":"v"}""",
    };

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Appended_entries_come_back_newest_first_with_every_field(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new AuditStore(db.Database);
        long first = await store.AppendAsync(Entry(0, "admin", AuditActions.Login));
        long second = await store.AppendAsync(Entry(5, "2001", AuditActions.RecordingDownload, target: "7"));

        IReadOnlyList<AuditEntry> rows = await store.QueryAsync(new AuditQuery());

        Assert.Equal([second, first], rows.Select(r => r.Id));
        Assert.Equal(Entry(5, "2001", AuditActions.RecordingDownload, target: "7") with { Id = second }, rows[0]);
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Filters_by_time_actor_action_category_target_and_outcome_and_pages(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new AuditStore(db.Database);
        await store.AppendAsync(Entry(0, "admin", AuditActions.Login));
        await store.AppendAsync(Entry(1, "1001", AuditActions.LoginFailed, AuditOutcomes.Failed));
        await store.AppendAsync(Entry(2, "1001", AuditActions.Login));
        await store.AppendAsync(Entry(3, "2001", AuditActions.RecordingPlay, target: "3"));
        await store.AppendAsync(Entry(4, "2001", AuditActions.SupervisionStarted, target: "1001"));

        async Task<string[]> Actions(AuditQuery q) => (await store.QueryAsync(q)).Select(r => r.Action + "@" + r.Actor).ToArray();

        Assert.Equal(["auth.login@1001", "auth.login_failed@1001"], await Actions(new AuditQuery { Actor = "1001" }));
        Assert.Equal(["auth.login@1001", "auth.login@admin"], await Actions(new AuditQuery { Action = AuditActions.Login }));
        Assert.Equal(["auth.login@1001", "auth.login_failed@1001", "auth.login@admin"], await Actions(new AuditQuery { Action = "auth." }));
        Assert.Equal(["auth.login_failed@1001"], await Actions(new AuditQuery { Outcome = AuditOutcomes.Failed }));
        Assert.Equal(["recording.play@2001"], await Actions(new AuditQuery { Target = "3" }));
        Assert.Equal(["recording.play@2001", "auth.login@1001"],
            await Actions(new AuditQuery { From = T0.AddSeconds(2), To = T0.AddSeconds(4) }));
        Assert.Equal(["recording.play@2001", "auth.login@1001"], await Actions(new AuditQuery { Offset = 1, Limit = 2 }));
        Assert.Empty(await Actions(new AuditQuery { Action = "auth_" })); // '_' is not a wildcard
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task The_table_refuses_updates_and_deletes(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new AuditStore(db.Database);
        long id = await store.AppendAsync(Entry(0, "admin", AuditActions.Login));

        await using DbConnection connection = await db.Database.OpenAsync();
        var update = await Assert.ThrowsAnyAsync<DbException>(() =>
            connection.ExecuteAsync("UPDATE audit SET actor = 'mallory' WHERE id = @id;", new { id }));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM audit;"));
        Assert.Equal("admin", (await store.QueryAsync(new AuditQuery())).Single().Actor);
    }
}
