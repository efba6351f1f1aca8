namespace Telephony.Pbx.Queues.Actions;

/// <summary>Event: callback <paramref name="CallbackId"/> left <paramref name="Queue"/>'s line without being
/// completed (<paramref name="Detail"/>: the cancel reason, or the deadline). Not an abandon.</summary>
public sealed record CallbackRemoved(string CallbackId, string Queue, CallbackRemovalReason Reason, string Detail) : QueueAction;
