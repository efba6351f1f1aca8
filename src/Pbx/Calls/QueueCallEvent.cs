using Telephony.Pbx.Contracts;

namespace Telephony.Pbx.Calls;

/// <summary>
/// One queue event of an <see cref="ApplicationCall"/>, for the call record, the <c>queue_events</c> table and the event
/// log. <paramref name="Agent"/> is set for agent events (rung, no answer, answered) and transfers (the transferring
/// agent); <paramref name="Wait"/> is the time since the caller first entered a queue in this stay (answered, abandoned,
/// overflowed); <paramref name="Detail"/> carries the no-answer reason, the overflow target or the transfer target.
/// </summary>
public sealed record QueueCallEvent(
    QueueEventKind Kind,
    string Queue,
    DateTimeOffset At,
    string? Agent = null,
    int? Priority = null,
    TimeSpan? Wait = null,
    string? Detail = null);
