namespace Telephony.Pbx.Calls;

/// <summary>
/// What an application hands to <see cref="QueueCallCoordinator.EnqueueAsync"/>: the queue by name, the base priority,
/// tags and data (IVR variables) that travel to the agent, and whether the application has its own overflow path
/// (then a max-wait overflow hands the caller back instead of executing the queue's overflow target), and the caller's
/// own max wait (an IVR node's <c>max_wait</c>; null: the queue's <c>maxWaitSeconds</c>), which always hands the caller
/// back when it passes. With <paramref name="HasCallbackPath"/> a caller who books a callback while waiting is handed back
/// (<see cref="QueueEntryOutcome.CallbackRequested"/>: the application says goodbye); otherwise the queue plays
/// <c>en/queue/callback-booked</c> and hangs up.
/// </summary>
public sealed record QueueEntry(
    string Queue,
    int Priority,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Data,
    bool HasOverflow,
    TimeSpan? MaxWait = null,
    bool HasCallbackPath = false);
