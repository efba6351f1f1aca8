namespace Telephony.Cluster.Leases;

/// <summary>
/// A node's ownership of one queue, as the database granted it: the fencing <see cref="Token"/> goes with every dispatch
/// decision made under this lease (<see cref="QueueLeaseStore.TryRecordDispatchAsync"/>), so a decision taken by an
/// owner that lost the lease meanwhile (paused, partitioned) is refused. Times are the database's clock.
/// </summary>
/// <param name="Queue">The queue name.</param>
/// <param name="Owner">The owning node id.</param>
/// <param name="Token">Fencing token: grows by one on every change of ownership (and never otherwise).</param>
/// <param name="ExpiresAt">When the lease lapses unless renewed.</param>
public sealed record QueueLease(string Queue, string Owner, long Token, DateTimeOffset ExpiresAt);
