namespace Telephony.Pbx.Queues.Actions;

/// <summary>Call layer: tell the waiting caller their 1-based <paramref name="Position"/> in the queue and the
/// <paramref name="EstimatedWait"/> (null when no agent is staffed, so no estimate can be made).</summary>
public sealed record AnnouncePosition(string InteractionId, string Queue, int Position, TimeSpan? EstimatedWait) : QueueAction;
