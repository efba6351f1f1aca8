using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Telephony.Host.Security;
using Telephony.Host.Tests.Storage;
using Telephony.Recording.Storage;
using Telephony.Recording.Tests.Storage;

namespace Telephony.Host.Tests.Security;

public sealed class ConsoleSessionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("host-tests-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private ProviderDatabase? _store;

    private Database Db => _store!.Database;

    public void Dispose()
    {
        _store?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<ConsoleSessions> NewAsync(StorageProvider provider)
    {
        _store = await ProviderDatabase.CreateAsync(provider, _folder);
        var sessions = new ConsoleSessions(new SessionStore(Db), _time, TimeSpan.FromHours(12));
        await sessions.LoadAsync();
        return sessions;
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task A_token_is_256_random_bits_and_only_its_hash_is_stored(StorageProvider provider)
    {
        ConsoleSessions sessions = await NewAsync(provider);
        (string token, ConsoleSession session) = await sessions.CreateAsync("1001", "agent", "127.0.0.1");
        (string other, _) = await sessions.CreateAsync("1001", "agent", "127.0.0.1");

        Assert.Equal(43, token.Length); // base64url of 32 bytes
        Assert.NotEqual(token, other);
        Assert.Equal(ConsoleSessions.Hash(token), session.Id);
        Assert.Equal(_time.GetUtcNow().AddHours(12), session.ExpiresAt);
        SessionRecord stored = (await new SessionStore(Db).GetAsync(session.Id))!;
        Assert.Equal(("1001", session.Id), (stored.User, stored.TokenHash));
        Assert.NotEqual(token, stored.TokenHash);
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task A_session_is_found_until_it_expires(StorageProvider provider)
    {
        ConsoleSessions sessions = await NewAsync(provider);
        (string token, ConsoleSession session) = await sessions.CreateAsync("2001", "supervisor", null);

        Assert.Equal(session, sessions.Find(token));
        Assert.Null(sessions.Find(token + "x"));
        Assert.Null(sessions.Find(""));
        _time.Advance(TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1));
        Assert.NotNull(sessions.Find(token));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(sessions.Find(token));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Logout_and_revoking_a_user_end_sessions_and_a_restart_keeps_the_others(StorageProvider provider)
    {
        ConsoleSessions sessions = await NewAsync(provider);
        (string a, ConsoleSession sa) = await sessions.CreateAsync("1001", "agent", null);
        (string b, _) = await sessions.CreateAsync("1001", "agent", null);
        (string c, ConsoleSession sc) = await sessions.CreateAsync("2001", "supervisor", null);
        (string d, _) = await sessions.CreateAsync("admin", "admin", null);

        Assert.True(await sessions.RevokeAsync(sa.Id));
        Assert.Null(sessions.Find(a));
        Assert.Equal(1, await sessions.RevokeUserAsync("1001"));
        Assert.Null(sessions.Find(b));

        var restarted = new ConsoleSessions(new SessionStore(Db), _time, TimeSpan.FromHours(12));
        await restarted.LoadAsync();
        Assert.Null(restarted.Find(a));
        Assert.Null(restarted.Find(b));
        Assert.Equal(sc, restarted.Find(c));
        Assert.NotNull(restarted.Find(d));
    }
}
