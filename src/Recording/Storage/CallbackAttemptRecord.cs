namespace Telephony.Recording.Storage;

/// <summary>A row of <c>callback_attempts</c>: one call to the customer (its call record is <see cref="CallId"/>).</summary>
public sealed record CallbackAttemptRecord
{
    public long Id { get; init; }
    public string CallbackId { get; init; } = "";
    public int Attempt { get; init; }
    public string CallId { get; init; } = "";
    public string Agent { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary><c>Answered</c>, <c>Busy</c>, <c>NoAnswer</c>, <c>Failed</c>, <c>AgentLeft</c>, <c>NotDialed</c>,
    /// <c>Interrupted</c>; null while under way.</summary>
    public string? Result { get; init; }
}
