using Telephony.Recording.Writing;

namespace Telephony.Recording.Storage;

/// <summary>A row of <c>voicemails</c>: one message left by a caller in a mailbox (a queue's or an extension's).</summary>
public sealed record VoicemailMessage
{
    public long Id { get; init; }

    /// <summary>The mailbox: a queue name or an extension number.</summary>
    public string Mailbox { get; init; } = "";

    /// <summary>The call the message was left in (<c>calls.id</c>).</summary>
    public string CallId { get; init; } = "";

    /// <summary>The caller's number (to call back).</summary>
    public string Caller { get; init; } = "";

    /// <summary>The mono WAV file.</summary>
    public string Path { get; init; } = "";

    public RecordingFormat Format { get; init; }

    /// <summary>When the caller started speaking (after the beep).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Audio length; null while recording.</summary>
    public TimeSpan? Duration { get; init; }

    public long? SizeBytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file.</summary>
    public string? Sha256 { get; init; }

    public VoicemailStatus Status { get; init; }

    public DateTimeOffset? HeardAt { get; init; }

    public string? HeardBy { get; init; }

    public DateTimeOffset? HandledAt { get; init; }

    public string? HandledBy { get; init; }

    /// <summary>From the message to "handled" (<see cref="HandledAt"/> − <see cref="CreatedAt"/>).</summary>
    public TimeSpan? ReplyTime { get; init; }

    /// <summary>The API path of the audio (<c>/api/voicemails/{id}/audio</c>), carried by the <c>voicemail</c> alert.</summary>
    public string AudioPath => AudioPathOf(Id);

    /// <summary>The API path of message <paramref name="id"/>'s audio.</summary>
    public static string AudioPathOf(long id) =>
        "/api/voicemails/" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/audio";
}
