namespace Telephony.Recording.Statistics;

/// <summary>
/// One visit of one call to one queue: the input row of <see cref="StatisticsAccumulator.AddCall"/>. A call that
/// overflows from queue A to queue B is two facts (A: <see cref="QueueCallOutcome.Overflowed"/>; B: entered at the
/// overflow). One query over <c>queue_events</c> fills it: the <c>Entered</c> event and the first <c>Answered</c>,
/// <c>Abandoned</c> or <c>Overflowed</c> event of the same call and queue after it (docs/metrics.md, "Input").
/// </summary>
public readonly record struct QueueCallFact
{
    public required string Queue { get; init; }

    /// <summary>When the call entered the queue: decides the interval the call is counted in.</summary>
    public required DateTimeOffset EnteredAt { get; init; }

    public required QueueCallOutcome Outcome { get; init; }

    /// <summary>Answered at / abandoned at / overflowed at / callback requested at / left at (<see
    /// cref="QueueCallOutcome.Other"/>, optional). Ignored for <see cref="QueueCallOutcome.Waiting"/>. The wait is
    /// <c>OutcomeAt - EnteredAt</c> (0 when negative).</summary>
    public DateTimeOffset? OutcomeAt { get; init; }

    /// <summary>Agent who answered (answered calls only).</summary>
    public string? Agent { get; init; }

    /// <summary>Connected time not on hold; null while the call is still connected at <see
    /// cref="StatisticsOptions.Now"/> (then it is left out of AHT).</summary>
    public TimeSpan? TalkTime { get; init; }

    public TimeSpan HoldTime { get; init; }

    /// <summary>After-call work; <see cref="TimeSpan.Zero"/> when the queue has none, null while it is still going
    /// on (then the call is left out of AHT).</summary>
    public TimeSpan? WrapUpTime { get; init; }

    /// <summary>When the requested callback reached the caller (and an agent); null when it has not (yet).</summary>
    public DateTimeOffset? CallbackCompletedAt { get; init; }
}
