namespace Telephony.Pbx.Queues.Actions;

/// <summary>Event: the caller hung up before reaching an agent, after waiting <paramref name="Waited"/> in the queue.</summary>
public sealed record CallAbandoned(string InteractionId, string Queue, TimeSpan Waited, int Position) : QueueAction;
