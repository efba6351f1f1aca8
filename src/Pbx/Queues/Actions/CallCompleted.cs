namespace Telephony.Pbx.Queues.Actions;

/// <summary>Event: a bridged queue call ended. <paramref name="Waited"/> is the time in queue before the answer.</summary>
public sealed record CallCompleted(string InteractionId, string Queue, string Agent, TimeSpan Waited, TimeSpan TalkTime) : QueueAction;
