namespace Telephony.Pbx.Queues;

/// <summary>The scheduler's state broke one of its invariants (an agent offered two calls, a call bridged to two
/// agents, an illegal transition...). Always a programmer error, never caused by input.</summary>
public sealed class QueueInvariantException(string message) : Exception(message);
