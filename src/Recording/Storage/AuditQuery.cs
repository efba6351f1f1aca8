namespace Telephony.Recording.Storage;

/// <summary>Filter and page for <see cref="AuditStore.QueryAsync"/>; null fields do not filter.</summary>
public sealed record AuditQuery
{
    /// <summary>Entries at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Entries before.</summary>
    public DateTimeOffset? To { get; init; }

    public string? Actor { get; init; }

    /// <summary>An action name (<c>auth.login</c>), or a category ending in a dot (<c>auth.</c>) for all of its actions.</summary>
    public string? Action { get; init; }

    public string? Target { get; init; }

    public string? Outcome { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 100;
}
