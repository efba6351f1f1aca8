namespace Telephony.Ivr.Engine;

/// <summary>
/// What <see cref="IIvrChannel.EnqueueAsync"/> receives: the queue by name, the effective priority (node priority,
/// else the call's), max wait (null: the queue's own setting), whether the flow has an overflow path, the interaction
/// data that travels to the agent, and whether the flow continues after the caller books a callback (the queue node's
/// <c>callback</c> event).
/// </summary>
public sealed record IvrQueueRequest(
    string Queue,
    int Priority,
    TimeSpan? MaxWait,
    bool HasOverflow,
    IvrInteraction Interaction,
    bool HasCallbackPath = false);
