namespace Telephony.Cluster.Leases;

/// <summary>One dispatch decision of a queue's owner (this caller goes to this agent), carrying the lease it was taken under.</summary>
/// <param name="Lease">The lease the owner believed it held when it decided.</param>
/// <param name="CallId">The waiting caller's call (or interaction) id.</param>
/// <param name="Agent">The agent chosen.</param>
public sealed record DispatchDecision(QueueLease Lease, string CallId, string Agent);
