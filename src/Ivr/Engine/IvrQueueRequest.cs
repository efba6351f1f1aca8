namespace Telephony.Ivr.Engine;

/// <summary>
/// What <see cref="IIvrChannel.EnqueueAsync"/> receives: the queue by name, the effective priority (node priority,
/// else the call's), max wait (null: the queue's own setting), whether the flow has an overflow path, and the
/// interaction data that travels to the agent.
/// </summary>
public sealed record IvrQueueRequest(
    string Queue,
    int Priority,
    TimeSpan? MaxWait,
    bool HasOverflow,
    IvrInteraction Interaction);
