namespace Telephony.Recording.Storage;

/// <summary>A console session (row of <c>sessions</c>): the SHA-256 of its token, who, which role, and its lifetime.</summary>
public sealed record SessionRecord
{
    /// <summary>Lower-case hex SHA-256 of the token; the token itself is never stored.</summary>
    public string TokenHash { get; init; } = "";

    public string User { get; init; } = "";

    public string Role { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Client address at login.</summary>
    public string? Source { get; init; }

    /// <summary>When it was revoked (logout or by an admin); null while valid.</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}
