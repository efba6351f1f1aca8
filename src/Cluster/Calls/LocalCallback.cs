namespace Telephony.Cluster.Calls;

/// <summary>A pending callback as a node's queue scheduler holds it (what <see cref="CallbackLine"/> mirrors).</summary>
/// <param name="Id">The callback's id (its <c>cluster_calls</c> row's call id).</param>
/// <param name="Queue">The queue it waits in.</param>
/// <param name="Priority">Its base priority.</param>
/// <param name="ArrivedAt">Its original arrival: its place in line.</param>
/// <param name="NotBefore">Not dispatched before (retry delay, opening hours), null: due.</param>
/// <param name="Attempting">Its agent answered: the customer is being called.</param>
public sealed record LocalCallback(string Id, string Queue, int Priority, DateTimeOffset ArrivedAt, DateTimeOffset? NotBefore, bool Attempting);
