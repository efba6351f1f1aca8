using System.Data.Common;
using Dapper;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

public class ConfigVersionStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Versions_count_per_file_newest_first_with_content_on_request(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new ConfigVersionStore(db.Database);
        ConfigVersion first = await store.AddAsync("ivr", "a: 1\n", "disk", null, T0);
        await store.AddAsync("queues", "q: 1\n", "disk", null, T0);
        ConfigVersion second = await store.AddAsync("ivr", "a: 2\n", "admin", "faster menu", T0.AddMinutes(5));

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal(ConfigVersionStore.Hash("a: 2\n"), second.Sha256);
        Assert.Equal([2, 1], (await store.ListAsync("ivr")).Select(v => v.Version));
        Assert.All(await store.ListAsync("ivr"), v => Assert.Equal("", v.Content));
        ConfigVersion latest = (await store.LatestAsync("ivr"))!;
        Assert.Equal(("a: 2\n", "admin", "faster menu", T0.AddMinutes(5)), (latest.Content, latest.SavedBy, latest.Comment, latest.SavedAt));
        Assert.Equal("a: 1\n", (await store.GetAsync("ivr", 1))!.Content);
        Assert.Null(await store.GetAsync("ivr", 3));
        Assert.Null(await store.LatestAsync("nothing"));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Concurrent_saves_of_one_file_get_consecutive_versions(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new ConfigVersionStore(db.Database);

        // Eight saves at once (two nodes' admins on one PostgreSQL): each gets its own version, none fails.
        ConfigVersion[] saved = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => store.AddAsync("ivr", $"a: {i}\n", "admin", null, T0.AddSeconds(i)))));

        Assert.Equal(Enumerable.Range(1, 8), saved.Select(v => v.Version).Order());
        Assert.Equal(Enumerable.Range(1, 8).Reverse(), (await store.ListAsync("ivr")).Select(v => v.Version));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Versions_are_append_only(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        await new ConfigVersionStore(db.Database).AddAsync("ivr", "a: 1\n", "disk", null, T0);

        await using DbConnection connection = await db.Database.OpenAsync();
        DbException refused = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("UPDATE config_versions SET content = 'x';"));
        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
    }
}
