namespace Telephony.Recording.Storage;

/// <summary>One entry of the append-only event log (the SSE <c>id</c> is <see cref="Sequence"/>).</summary>
public sealed record StoredEvent
{
    /// <summary>Position in the log: strictly increasing, never reused.</summary>
    public long Sequence { get; init; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>Dotted type, see <see cref="EventTypes"/>.</summary>
    public string Type { get; init; } = "";

    /// <summary>Interaction (call) it belongs to, if any.</summary>
    public string? CallId { get; init; }

    /// <summary>JSON payload.</summary>
    public string Payload { get; init; } = "{}";
}
