namespace Telephony.Recording.Storage;

/// <summary>A row of the webhook <c>outbox</c>: one delivery of one payload to one webhook.</summary>
public sealed record OutboxEntry
{
    public long Id { get; init; }

    /// <summary>Configured webhook name.</summary>
    public string Webhook { get; init; } = "";

    /// <summary>JSON body, sent byte for byte.</summary>
    public string Payload { get; init; } = "{}";

    /// <summary>Same on every attempt, so the receiver can drop duplicates.</summary>
    public string IdempotencyKey { get; init; } = "";

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
