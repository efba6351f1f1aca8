using Telephony.Pbx.Contracts;

namespace Telephony.Recording.Storage;

/// <summary>A row of <c>queue_events</c>.</summary>
public sealed record QueueEvent
{
    public long Id { get; init; }

    public string CallId { get; init; } = "";

    public string Queue { get; init; } = "";

    public QueueEventKind Kind { get; init; }

    /// <summary>Agent rung / answering / not answering, when relevant.</summary>
    public string? Agent { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>Free text: overflow target, transfer destination...</summary>
    public string? Detail { get; init; }
}
