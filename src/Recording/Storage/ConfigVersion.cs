namespace Telephony.Recording.Storage;

/// <summary>One saved version of an admin-edited configuration file (<c>config_versions</c>, schema version 6).</summary>
public sealed record ConfigVersion
{
    /// <summary>Row id (unique across files).</summary>
    public long Id { get; init; }

    /// <summary>Which file: <c>ivr</c> or <c>queues</c>.</summary>
    public string File { get; init; } = "";

    /// <summary>1, 2, 3... per file.</summary>
    public int Version { get; init; }

    /// <summary>When it was saved.</summary>
    public DateTimeOffset SavedAt { get; init; }

    /// <summary>The console user who saved it, or <c>disk</c> for contents found on disk.</summary>
    public string SavedBy { get; init; } = "";

    /// <summary>Free text: the admin's note, "rollback to version 3"...</summary>
    public string? Comment { get; init; }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 content.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>The whole file (empty in listings).</summary>
    public string Content { get; init; } = "";
}
