namespace Telephony.Pbx.Queues.Actions;

/// <summary>A <c>CallArrived</c> was refused (unknown or removed queue, interaction already queued); the call layer
/// should route the caller elsewhere (for example play a message and hang up).</summary>
public sealed record CallRejected(string InteractionId, string Queue, string Reason) : QueueAction;
