namespace Telephony.Recording.Storage;

/// <summary>A row of <c>supervisions</c>: one supervisor in one mode on one call, from <see cref="StartedAt"/> to
/// <see cref="EndedAt"/> (null while it lasts).</summary>
public sealed record SupervisionRecord
{
    public long Id { get; init; }

    /// <summary>The supervised call.</summary>
    public string CallId { get; init; } = "";

    /// <summary>The supervisor's own call.</summary>
    public string SupervisorCallId { get; init; } = "";

    public string Supervisor { get; init; } = "";

    public string Agent { get; init; } = "";

    /// <summary>Listen, Whisper, Barge or TakeOver.</summary>
    public string Mode { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }
}
