using Npgsql;
using Telephony.Cluster.Agents;
using Telephony.Cluster.Calls;
using Telephony.Cluster.Leases;

namespace Telephony.Cluster.Dispatch;

/// <summary>The PostgreSQL side of a <see cref="QueueOwner"/>: <c>cluster_calls</c>, <c>cluster_agents</c> and the fenced
/// assignment.</summary>
/// <param name="dataSource">The shared database (the caller owns and disposes it).</param>
/// <param name="aliveWithin">Agent rows of nodes that did not beat within this long are ignored.</param>
public sealed class QueueOwnerStore(NpgsqlDataSource dataSource, TimeSpan aliveWithin) : IQueueOwnerStore
{
    private readonly ClusterCallStore _calls = new(dataSource);
    private readonly ClusterAgentStore _agents = new(dataSource);
    private readonly QueueAssignmentStore _assignments = new(dataSource);

    public Task<IReadOnlyList<ClusterCall>> WaitingAsync(string queue, CancellationToken ct) => _calls.WaitingAsync(queue, ct);

    public Task<ClusterAgents> AgentsAsync(CancellationToken ct) => _agents.ViewAsync(aliveWithin, ct);

    public Task<AssignResult> TryAssignAsync(QueueLease lease, string callId, string agent, CancellationToken ct) =>
        _assignments.TryAssignAsync(lease, callId, agent, ct);
}
