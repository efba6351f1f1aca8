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
/// A caller that comes back unassigned was not taken by its agent (no answer, busy...): that agent is skipped by the
/// owner's queues for the queue's <see cref="OwnedQueue.NoAnswerSkip"/>, as a single server's scheduler skips it.
/// The line holds the node schedulers' pending callbacks too (<see cref="ClusterCall.IsCallback"/>, at their original
/// arrival): a callback is assigned like a caller once due (<see cref="ClusterCall.NotBefore"/>), and only the node whose
/// scheduler holds it dials it, after its agent answered. The order is <paramref name="order"/> (the single server's).
/// One instance per node, used by one loop (not thread-safe).
/// </summary>
/// <param name="store">The shared line and agent state.</param>
/// <param name="time">The clock of skip windows, aging and callbacks' due times (the system clock by default).</param>
/// <param name="order">The line's service order (the stored order by default).</param>
public sealed class QueueOwner(IQueueOwnerStore store, TimeProvider? time = null, ILineOrder? order = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, int> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Queue, string Agent)> _assignedBy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _skipUntil = new(StringComparer.Ordinal);

    /// <summary>One round for <paramref name="queue"/> under <paramref name="lease"/>: the assignments made, in order, as
    /// (call id, agent); <paramref name="fenced"/> is true when the lease was refused.</summary>
    public async Task<(IReadOnlyList<(string CallId, string Agent)> Assigned, bool Fenced)> RunAsync(QueueLease lease, OwnedQueue queue,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(queue);
        var assigned = new List<(string, string)>();
        var waiting = await store.WaitingAsync(queue.Name, ct).ConfigureAwait(false);
        NoteHandBacks(queue, waiting);
        var now = _time.GetUtcNow();
        if (!waiting.Any(c => c.IsDue(now)) || queue.Members.Count == 0)
        {
            return (assigned, false);
        }
        var line = waiting.ToList();
        if (order is not null)
        {
            line.Sort((a, b) => order.Compare(queue, now, a, b));
        }
        var agents = await store.AgentsAsync(ct).ConfigureAwait(false);
        foreach (var call in line)
        {
            if (!call.IsDue(now))
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
                    _assignedBy[call.CallId] = (queue.Name, queue.Members[pick].Agent);
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

    /// <summary>Callers this owner assigned that wait unassigned again: their agent did not take them (skipped for the
    /// queue's no-answer skip). Callers gone from the line (answered, hung up) are forgotten.</summary>
    private void NoteHandBacks(OwnedQueue queue, IReadOnlyList<Calls.ClusterCall> waiting)
    {
        var now = _time.GetUtcNow();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in waiting)
        {
            present.Add(call.CallId);
            if (call.Agent is null && _assignedBy.Remove(call.CallId, out var before) && queue.NoAnswerSkip > TimeSpan.Zero)
            {
                _skipUntil[before.Agent] = now + queue.NoAnswerSkip;
            }
        }
        foreach (var (callId, by) in _assignedBy.ToList())
        {
            if (by.Queue == queue.Name && !present.Contains(callId))
            {
                _assignedBy.Remove(callId);
            }
        }
        foreach (var (agent, until) in _skipUntil.ToList())
        {
            if (until <= now)
            {
                _skipUntil.Remove(agent);
            }
        }
    }

    /// <summary>The member index to offer a caller on <paramref name="node"/>, or null when no member is free.</summary>
    private int? Pick(OwnedQueue queue, Agents.ClusterAgents agents, string node)
    {
        var best = int.MaxValue;
        var tier = new List<int>();
        for (var i = 0; i < queue.Members.Count; i++)
        {
            var m = queue.Members[i];
            if (m.Penalty > best || !agents.IsFreeOn(m.Agent, node) || _skipUntil.ContainsKey(m.Agent))
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
