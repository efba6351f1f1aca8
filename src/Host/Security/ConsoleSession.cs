namespace Telephony.Host.Security;

/// <summary>A valid console session as the server keeps it. <see cref="Id"/> is the SHA-256 of the token (hex), never
/// the token itself.</summary>
public sealed record ConsoleSession(string Id, string User, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    string? Source);
