using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

public class SessionStoreTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static SessionRecord Session(string hash, string user, int hours = 12) => new()
    {
        TokenHash = hash,
        User = user,
        Role = "agent",
        CreatedAt = T0,
        ExpiresAt = T0.AddHours(hours),
        Source = "127.0.0.1",
    };

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task A_created_session_is_read_back_and_listed_until_it_expires(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new SessionStore(db.Database);
        await store.CreateAsync(Session("aa", "1001"));
        await store.CreateAsync(Session("bb", "1002", hours: 1));

        Assert.Equal(Session("aa", "1001"), await store.GetAsync("aa"));
        Assert.Null(await store.GetAsync("cc"));
        Assert.Equal(["aa", "bb"], (await store.ListValidAsync(T0)).Select(s => s.TokenHash));
        Assert.Equal(["aa"], (await store.ListValidAsync(T0.AddHours(1))).Select(s => s.TokenHash));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Revoking_one_session_or_all_of_a_user_hides_them_and_purge_removes_old_rows(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new SessionStore(db.Database);
        await store.CreateAsync(Session("a1", "1001"));
        await store.CreateAsync(Session("a2", "1001"));
        await store.CreateAsync(Session("b1", "2001"));

        Assert.True(await store.RevokeAsync("b1", T0.AddMinutes(1)));
        Assert.False(await store.RevokeAsync("b1", T0.AddMinutes(2)));
        Assert.Equal(2, await store.RevokeUserAsync("1001", T0.AddMinutes(3)));
        Assert.Empty(await store.ListValidAsync(T0.AddMinutes(4)));
        Assert.Equal(T0.AddMinutes(1), (await store.GetAsync("b1"))!.RevokedAt);

        await store.CreateAsync(Session("c1", "1003"));
        Assert.Equal(3, await store.PurgeAsync(T0.AddMinutes(5)));
        Assert.Equal(["c1"], (await store.ListValidAsync(T0.AddMinutes(5))).Select(s => s.TokenHash));
    }
}
