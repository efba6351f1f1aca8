using Telephony.Cluster.Leases;

namespace Telephony.Cluster.Dispatch;

/// <summary>
/// The dispatch of the queues a node owns (one lease each, <see cref="QueueLeaseKeeper"/>): a round reads the queue's line
/// (every node's waiting callers, in service order, <c>cluster_calls</c>), and for each unassigned caller picks, with the
/// queue's strategy, a member free for the caller's node across the cluster (<see cref="Agents.ClusterAgents"/>, lowest
/// penalty first) and assigns it under the lease (<see cref="QueueAssignmentStore.TryAssignAsync"/>): the caller's node
/// then rings that agent. <see cref="AssignResult.Fenced"/> stops the round (the lease is no longer ours),
/// <see cref="AssignResult.AgentTaken"/> tries the next agent, <see cref="AssignResult.CallerGone"/> the next caller.
/// The line lives in the database, so an owner that takes over a queue (its owner died) just runs its next round on it.
/// One instance per node, used by one loop (not thread-safe).
/// </summary>
public sealed class QueueOwner(IQueueOwnerStore store)
{
    private readonly Dictionary<string, int> _cursors = new(StringComparer.Ordinal);

    /// <summary>One round for <paramref name="queue"/> under <paramref name="lease"/>: the assignments made, in order, as
    /// (call id, agent); <paramref name="fenced"/> is true when the lease was refused.</summary>
    public async Task<(IReadOnlyList<(string CallId, string Agent)> Assigned, bool Fenced)> RunAsync(QueueLease lease, OwnedQueue queue,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(queue);
        var assigned = new List<(string, string)>();
        var waiting = await store.WaitingAsync(queue.Name, ct).ConfigureAwait(false);
        if (!waiting.Any(c => c.Agent is null) || queue.Members.Count == 0)
        {
            return (assigned, false);
        }
        var agents = await store.AgentsAsync(ct).ConfigureAwait(false);
        foreach (var call in waiting)
        {
            if (call.Agent is not null)
            {
                continue;
            }
            while (Pick(queue, agents, call.Node) is { } pick)
            {
                var result = await store.TryAssignAsync(lease, call.CallId, queue.Members[pick].Agent, ct).ConfigureAwait(false);
                if (result == AssignResult.Fenced)
                {
                    return (assigned, true);
                }
                if (result is AssignResult.Assigned or AssignResult.AgentTaken)
                {
                    agents.Take(queue.Members[pick].Agent);
                }
                if (result == AssignResult.Assigned)
                {
                    if (queue.Strategy == OwnerStrategy.RoundRobin)
                    {
                        _cursors[queue.Name] = pick;
                    }
                    assigned.Add((call.CallId, queue.Members[pick].Agent));
                    break;
                }
                if (result == AssignResult.CallerGone)
                {
                    break;
                }
            }
        }
        return (assigned, false);
    }

    /// <summary>The member index to offer a caller on <paramref name="node"/>, or null when no member is free.</summary>
    private int? Pick(OwnedQueue queue, Agents.ClusterAgents agents, string node)
    {
        var best = int.MaxValue;
        var tier = new List<int>();
        for (var i = 0; i < queue.Members.Count; i++)
        {
            var m = queue.Members[i];
            if (m.Penalty > best || !agents.IsFreeOn(m.Agent, node))
            {
                continue;
            }
            if (m.Penalty < best)
            {
                best = m.Penalty;
                tier.Clear();
            }
            tier.Add(i);
        }
        if (tier.Count == 0)
        {
            return null;
        }
        if (queue.Strategy == OwnerStrategy.RoundRobin)
        {
            var n = queue.Members.Count;
            var cursor = _cursors.GetValueOrDefault(queue.Name, -1);
            return tier.MinBy(i => (i - cursor - 1 + (2 * n)) % n);
        }
        return tier.MinBy(i => (agents.IdleSince(queue.Members[i].Agent, node), i));
    }
}
