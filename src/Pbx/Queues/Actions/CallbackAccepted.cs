namespace Telephony.Pbx.Queues.Actions;

/// <summary>
/// Event: callback <paramref name="CallbackId"/> holds a place in <paramref name="Queue"/>'s line at 1-based
/// <paramref name="Position"/> (waiting and ringing entries, in service order), arrived at <paramref name="ArrivedAt"/>;
/// <paramref name="EstimatedWait"/> is the queue's estimate for that position (null when nobody is staffed). Set
/// <paramref name="FromInteraction"/> when a waiting caller became the callback (its queue stay ends here, not as an
/// abandon; <paramref name="Waited"/> is how long it waited in that queue).
/// </summary>
public sealed record CallbackAccepted(
    string CallbackId,
    string Queue,
    DateTimeOffset ArrivedAt,
    int Position,
    TimeSpan? EstimatedWait,
    string? FromInteraction,
    TimeSpan Waited) : QueueAction;
