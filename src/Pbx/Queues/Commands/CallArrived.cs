namespace Telephony.Pbx.Queues.Commands;

/// <summary>A caller enters <paramref name="Queue"/> (from the IVR, a transfer or a direct route). Higher
/// <paramref name="BasePriority"/> is served first. <paramref name="Tags"/> and <paramref name="Data"/> (IVR variables,
/// path...) travel unchanged to the agent on <see cref="Actions.RingAgent"/>.</summary>
/// <param name="InteractionId">Stable id of the customer contact across queue hops and transfers.</param>
/// <param name="MaxWait">The caller's own max wait (an IVR <c>queue</c> node's <c>max_wait</c>): replaces the queue's
/// <c>maxWaitSeconds</c>, and when it passes the caller is handed back to the application
/// (<see cref="Configuration.OverflowKind.Application"/>) instead of taking the queue's overflow target. Null or zero:
/// the queue's own setting applies.</param>
public sealed record CallArrived(
    string InteractionId,
    string Queue,
    int BasePriority = 0,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, string>? Data = null,
    TimeSpan? MaxWait = null) : QueueCommand;
