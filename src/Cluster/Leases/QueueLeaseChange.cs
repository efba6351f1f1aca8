namespace Telephony.Cluster.Leases;

/// <summary>This node gained (<see cref="Lease"/> set) or lost (<see cref="Lease"/> null) a queue.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Lease">The new lease, or null when the queue was lost or released.</param>
/// <param name="Reason">acquired, re-acquired, lost, released, no longer configured, or the database error.</param>
public sealed record QueueLeaseChange(string Queue, QueueLease? Lease, string Reason);
