using Telephony.Recording.Writing;

namespace Telephony.Recording.Storage;

/// <summary>A row of the <c>recordings</c> table: one audio file of one interaction.</summary>
public sealed record RecordingEntry
{
    public long Id { get; init; }

    /// <summary>Interaction (call) id; a recording follows the interaction across queue hops and transfers.</summary>
    public string CallId { get; init; } = "";

    public string Path { get; init; } = "";

    public RecordingFormat Format { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Audio duration; null while recording.</summary>
    public TimeSpan? Duration { get; init; }

    public long? SizeBytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file.</summary>
    public string? Sha256 { get; init; }

    public RecordingStatus Status { get; init; }
}
