namespace Telephony.Pbx.Queues.Commands;

/// <summary>A caller enters <paramref name="Queue"/> (from the IVR, a transfer or a direct route). Higher
/// <paramref name="BasePriority"/> is served first. <paramref name="Tags"/> and <paramref name="Data"/> (IVR variables,
/// path...) travel unchanged to the agent on <see cref="Actions.RingAgent"/>.</summary>
/// <param name="InteractionId">Stable id of the customer contact across queue hops and transfers.</param>
public sealed record CallArrived(
    string InteractionId,
    string Queue,
    int BasePriority = 0,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, string>? Data = null) : QueueCommand;
