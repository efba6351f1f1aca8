namespace Telephony.Pbx.Calls;

/// <summary>How a caller's stay in the queues ended, as reported by <see cref="QueueCallCoordinator.EnqueueAsync"/>.</summary>
public enum QueueEntryOutcome
{
    /// <summary>An agent answered and the caller is bridged to them.</summary>
    Answered,
    /// <summary>Max wait passed (queue overflow to a transfer or hang-up target): the application continues.</summary>
    Overflow,
    /// <summary>The queue refused the caller (unknown or removed queue), or the caller left.</summary>
    Rejected,
    /// <summary>The caller booked a callback while waiting: the callback keeps the caller's place in line, the caller
    /// may leave (handed back only with <see cref="QueueEntry.HasCallbackPath"/>; otherwise the queue hung up).</summary>
    CallbackRequested,
}
