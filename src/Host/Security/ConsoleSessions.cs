using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Telephony.Recording.Storage;

namespace Telephony.Host.Security;

/// <summary>
/// Console sessions: opaque random tokens (256 bits, base64url) looked up in a server-side table. The table lives in
/// SQLite (<see cref="SessionStore"/>, by SHA-256 of the token) so sessions survive a restart, with an in-memory copy
/// for the per-request check. A session ends at its expiry, on logout, or when an admin revokes its user's sessions.
/// As a hosted service it loads the stored sessions at start-up (registered after the database migration).
/// </summary>
public sealed class ConsoleSessions(SessionStore store, TimeProvider time, TimeSpan lifetime) : IHostedService
{
    private const int TokenBytes = 32;
    private readonly ConcurrentDictionary<string, ConsoleSession> _valid = new(StringComparer.Ordinal);

    /// <summary>Session lifetime.</summary>
    public TimeSpan Lifetime => lifetime;

    /// <summary>Loads the sessions still valid (at start-up) and purges those that ended more than a day ago.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = time.GetUtcNow();
        await store.PurgeAsync(now - TimeSpan.FromDays(1), cancellationToken).ConfigureAwait(false);
        foreach (SessionRecord s in await store.ListValidAsync(now, cancellationToken).ConfigureAwait(false))
        {
            _valid[s.TokenHash] = new ConsoleSession(s.TokenHash, s.User, s.Role, s.CreatedAt, s.ExpiresAt, s.Source);
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Starts a session for <paramref name="user"/>; returns the token (shown once) and the session.</summary>
    public async Task<(string Token, ConsoleSession Session)> CreateAsync(string user, string role, string? source,
        CancellationToken cancellationToken = default)
    {
        string token = Base64Url(RandomNumberGenerator.GetBytes(TokenBytes));
        DateTimeOffset now = time.GetUtcNow();
        var session = new ConsoleSession(Hash(token), user, role, now, now + lifetime, source);
        await store.CreateAsync(new SessionRecord
        {
            TokenHash = session.Id,
            User = user,
            Role = role,
            CreatedAt = now,
            ExpiresAt = session.ExpiresAt,
            Source = source,
        }, cancellationToken).ConfigureAwait(false);
        _valid[session.Id] = session;
        return (token, session);
    }

    /// <summary>The valid session of <paramref name="token"/>, or null (unknown, revoked or expired).</summary>
    public ConsoleSession? Find(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 256)
        {
            return null;
        }

        return FindById(Hash(token));
    }

    /// <summary>The valid session with id <paramref name="id"/>, or null.</summary>
    public ConsoleSession? FindById(string id)
    {
        if (!_valid.TryGetValue(id, out ConsoleSession? session))
        {
            return null;
        }

        if (session.ExpiresAt <= time.GetUtcNow())
        {
            _valid.TryRemove(id, out _);
            return null;
        }

        return session;
    }

    /// <summary>Ends the session with id <paramref name="id"/> (logout).</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        bool known = _valid.TryRemove(id, out _);
        return await store.RevokeAsync(id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false) || known;
    }

    /// <summary>Ends every session of <paramref name="user"/>; returns how many.</summary>
    public async Task<int> RevokeUserAsync(string user, CancellationToken cancellationToken = default)
    {
        foreach ((string id, ConsoleSession s) in _valid)
        {
            if (s.User == user)
            {
                _valid.TryRemove(id, out _);
            }
        }

        return await store.RevokeUserAsync(user, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
