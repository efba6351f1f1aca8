namespace Telephony.Pbx.Queues.Commands;

/// <summary>An input to the queue scheduler: something that happened to a caller or an agent. The scheduler is the
/// only writer of queue state; everything else reports events by posting commands (see <c>Queues/README.md</c>).</summary>
public abstract record QueueCommand
{
    /// <summary>When it happened, when known and earlier than the scheduler's step that applies it (an answer that
    /// reaches a busy scheduler late): the command is applied at that instant, before the timers due after it (a ring
    /// timeout must not cancel a ring that was already answered). Null: when the scheduler processes it.</summary>
    public DateTimeOffset? OccurredAt { get; init; }
}
