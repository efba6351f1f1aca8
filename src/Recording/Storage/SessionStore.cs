using Dapper;
using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// The <c>sessions</c> table behind console logins, so sessions survive a restart. Rows are keyed by the SHA-256 of
/// the token; revoked and expired rows stop being listed by <see cref="ListValidAsync"/> and are purged by
/// <see cref="PurgeAsync"/>.
/// </summary>
public sealed class SessionStore(Database database)
{
    private const string Columns =
        "token_hash AS TokenHash, \"user\" AS User, role AS Role, created_at AS CreatedAt, expires_at AS ExpiresAt, " +
        "source AS Source, revoked_at AS RevokedAt";

    /// <summary>Stores a new session.</summary>
    public async Task CreateAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO sessions (token_hash, "user", role, created_at, expires_at, source)
            VALUES (@TokenHash, @User, @Role, @CreatedAt, @ExpiresAt, @Source);
            """,
            new
            {
                session.TokenHash,
                session.User,
                session.Role,
                CreatedAt = UnixTimeHandlers.ToDb(session.CreatedAt),
                ExpiresAt = UnixTimeHandlers.ToDb(session.ExpiresAt),
                session.Source,
            }).ConfigureAwait(false);
    }

    /// <summary>The session with <paramref name="tokenHash"/>, revoked or not, or null.</summary>
    public async Task<SessionRecord?> GetAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<SessionRecord>(
            $"SELECT {Columns} FROM sessions WHERE token_hash = @TokenHash;", new { TokenHash = tokenHash }).ConfigureAwait(false);
    }

    /// <summary>Sessions neither revoked nor expired at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<SessionRecord>> ListValidAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<SessionRecord>(
            $"SELECT {Columns} FROM sessions WHERE revoked_at IS NULL AND expires_at > @Now ORDER BY created_at, token_hash;",
            new { Now = UnixTimeHandlers.ToDb(now) }).ConfigureAwait(false)).AsList();
    }

    /// <summary>Revokes one session; false when it is unknown or already revoked.</summary>
    public async Task<bool> RevokeAsync(string tokenHash, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "UPDATE sessions SET revoked_at = @At WHERE token_hash = @TokenHash AND revoked_at IS NULL;",
            new { TokenHash = tokenHash, At = UnixTimeHandlers.ToDb(at) }).ConfigureAwait(false) > 0;
    }

    /// <summary>Revokes every open session of <paramref name="user"/>; returns how many.</summary>
    public async Task<int> RevokeUserAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "UPDATE sessions SET revoked_at = @At WHERE \"user\" = @User AND revoked_at IS NULL;",
            new { User = user, At = UnixTimeHandlers.ToDb(at) }).ConfigureAwait(false);
    }

    /// <summary>Deletes sessions that expired or were revoked before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "DELETE FROM sessions WHERE expires_at < @Before OR revoked_at < @Before;",
            new { Before = UnixTimeHandlers.ToDb(before) }).ConfigureAwait(false);
    }
}
