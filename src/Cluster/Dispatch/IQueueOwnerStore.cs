using Telephony.Cluster.Agents;
using Telephony.Cluster.Calls;
using Telephony.Cluster.Leases;

namespace Telephony.Cluster.Dispatch;

/// <summary>What a <see cref="QueueOwner"/> reads and writes (PostgreSQL in production: <see cref="QueueOwnerStore"/>).</summary>
public interface IQueueOwnerStore
{
    /// <summary>The queue's waiting callers on every node, in service order (<see cref="ClusterCallStore.WaitingAsync"/>).</summary>
    Task<IReadOnlyList<ClusterCall>> WaitingAsync(string queue, CancellationToken ct);

    /// <summary>Agent state across the live nodes, with the agents already assigned (<see cref="ClusterAgentStore.ViewAsync"/>).</summary>
    Task<ClusterAgents> AgentsAsync(CancellationToken ct);

    /// <summary>The fenced assignment (<see cref="QueueAssignmentStore.TryAssignAsync"/>).</summary>
    Task<AssignResult> TryAssignAsync(QueueLease lease, string callId, string agent, CancellationToken ct);
}
