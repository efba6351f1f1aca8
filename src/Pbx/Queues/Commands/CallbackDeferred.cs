namespace Telephony.Pbx.Queues.Commands;

/// <summary>
/// The callback keeps its place but is not dispatched before <paramref name="NotBefore"/> (a retry after the customer
/// was not reached, or the queue's opening). A ringing offer is cancelled; a connected callback (agent reserved, customer
/// not reached) releases its agent without wrap-up. Ignored for callers and unknown ids.
/// </summary>
public sealed record CallbackDeferred(string CallbackId, DateTimeOffset NotBefore) : QueueCommand;
