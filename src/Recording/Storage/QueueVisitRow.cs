namespace Telephony.Recording.Storage;

/// <summary>One <c>queue_visits</c> row as the rollup sees it (docs/metrics.md §7): read before and after each change so
/// <see cref="QueueVisitRollup"/> can move its contribution.</summary>
internal sealed record QueueVisitRow
{
    /// <summary>The columns of <see cref="QueueVisitRow"/>, in a SELECT or a RETURNING clause.</summary>
    public const string Columns =
        "id AS Id, queue AS Queue, entered_at AS EnteredAt, outcome AS Outcome, outcome_at AS OutcomeAt, agent AS Agent, " +
        "talk_ms AS TalkMs, hold_ms AS HoldMs, wrap_up_ms AS WrapUpMs, callback_completed_at AS CallbackCompletedAt";

    public long Id { get; init; }

    public string Queue { get; init; } = "";

    public long EnteredAt { get; init; }

    public string? Outcome { get; init; }

    public long? OutcomeAt { get; init; }

    public string? Agent { get; init; }

    public long? TalkMs { get; init; }

    public long HoldMs { get; init; }

    public long? WrapUpMs { get; init; }

    public long? CallbackCompletedAt { get; init; }
}
