namespace Telephony.Recording.Storage;

/// <summary>A row of <c>callbacks</c>: a callback promised to a customer, its place in line and how it stands.</summary>
public sealed record CallbackRecord
{
    public string Id { get; init; } = "";
    public string Queue { get; init; } = "";
    public string Number { get; init; } = "";
    public string? Name { get; init; }
    public string? Note { get; init; }
    public int Priority { get; init; }

    /// <summary>The place in line: the original enqueue time.</summary>
    public DateTimeOffset ArrivedAt { get; init; }

    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? Deadline { get; init; }

    /// <summary><c>queue</c>, <c>ivr</c>, <c>web</c> or <c>console</c>.</summary>
    public string Source { get; init; } = "";

    public string? RequestedBy { get; init; }
    public string? SourceAddress { get; init; }
    public string? OriginalCallId { get; init; }
    public string? CallerId { get; init; }

    /// <summary>JSON array of tags.</summary>
    public string Tags { get; init; } = "[]";

    /// <summary>JSON object of interaction data.</summary>
    public string Data { get; init; } = "{}";

    /// <summary><c>Pending</c>, <c>Completed</c>, <c>Failed</c>, <c>Expired</c> or <c>Cancelled</c>.</summary>
    public string Status { get; init; } = "Pending";

    public int Attempts { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public string? Detail { get; init; }
    public string? CallId { get; init; }
    public string? Agent { get; init; }
    public string? VisitCallId { get; init; }
}
