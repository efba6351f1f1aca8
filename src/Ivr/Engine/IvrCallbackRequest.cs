namespace Telephony.Ivr.Engine;

/// <summary>What <see cref="IIvrChannel.RequestCallbackAsync"/> receives: the queue whose line the callback joins, its
/// priority, and the interaction data shown to the agent who calls back.</summary>
public sealed record IvrCallbackRequest(string Queue, int Priority, IvrInteraction Interaction);
