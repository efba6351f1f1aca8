using System.Collections.Concurrent;
using System.Collections.Frozen;
using Telephony.Cluster.Leases;
using Telephony.Pbx.Queues;

namespace Telephony.Host.Cluster;

/// <summary>
/// The queue scheduler's <see cref="IQueueDispatchGate"/> on a cluster node: a caller waiting here is offered only to the
/// agent its queue's owner assigned (<see cref="QueueAssignmentStore.AssignmentsForAsync"/>, polled by
/// <see cref="ClusterDispatchService"/>); an offer that ends unanswered is handed back
/// (<see cref="QueueAssignmentStore.ReleaseAsync"/>, written by the same loop before its next poll) so the caller waits
/// at the same place and the owner chooses again. Callbacks are governed alike: the node's pending callbacks are in the
/// owners' lines too (<see cref="Telephony.Cluster.Calls.CallbackLine"/>, tracked by their id), and one is dialled only
/// once its owner assigned it an agent. The scheduler calls it on its loop; the poller replaces the assignments at once.
/// </summary>
public sealed class ClusterDispatchGate : IQueueDispatchGate
{
    private readonly ConcurrentDictionary<string, string> _interactionByCall = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _callByInteraction = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Interaction, string Agent), byte> _handedBack = new();
    private readonly ConcurrentQueue<(string Interaction, string CallId, string Agent)> _releases = new();
    private FrozenDictionary<string, string> _assigned = FrozenDictionary<string, string>.Empty;

    /// <summary>Call <paramref name="callId"/> (its <c>cluster_calls</c> row) waits as <paramref name="interactionId"/>.</summary>
    public void Track(string callId, string interactionId)
    {
        _interactionByCall[callId] = interactionId;
        _callByInteraction[interactionId] = callId;
    }

    /// <summary>The call ended.</summary>
    public void Forget(string callId)
    {
        if (_interactionByCall.TryRemove(callId, out var interaction))
        {
            _callByInteraction.TryRemove(new KeyValuePair<string, string>(interaction, callId));
        }
    }

    public bool DispatchesLocally(string interactionId, string queue, QueueEntryKind kind, out string? agent)
    {
        agent = null;
        if (Volatile.Read(ref _assigned).TryGetValue(interactionId, out var assigned) && !_handedBack.ContainsKey((interactionId, assigned)))
        {
            agent = assigned;
        }
        return false;
    }

    public void Released(string interactionId, string agent)
    {
        if (_callByInteraction.TryGetValue(interactionId, out var callId) && _handedBack.TryAdd((interactionId, agent), 0))
        {
            _releases.Enqueue((interactionId, callId, agent));
        }
    }

    /// <summary>The hand-backs to write before the next poll.</summary>
    internal List<(string Interaction, string CallId, string Agent)> TakeReleases()
    {
        var taken = new List<(string, string, string)>();
        while (_releases.TryDequeue(out var release))
        {
            taken.Add(release);
        }
        return taken;
    }

    /// <summary>Hand-backs that could not be written (database trouble): written again before the next poll.</summary>
    internal void Requeue(IEnumerable<(string Interaction, string CallId, string Agent)> releases)
    {
        foreach (var release in releases)
        {
            _releases.Enqueue(release);
        }
    }

    /// <summary>This node's assignments as just read (after <paramref name="written"/> were handed back): true when the
    /// scheduler has something new to ring.</summary>
    internal bool Update(IReadOnlyList<QueueAssignment> assignments, IReadOnlyList<(string Interaction, string CallId, string Agent)> written)
    {
        var next = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in assignments)
        {
            if (_interactionByCall.TryGetValue(a.CallId, out var interaction))
            {
                next[interaction] = a.Agent;
            }
        }
        var previous = Volatile.Read(ref _assigned);
        Volatile.Write(ref _assigned, next.ToFrozenDictionary(StringComparer.Ordinal));
        foreach (var (interaction, _, agent) in written)
        {
            _handedBack.TryRemove((interaction, agent), out _);
        }
        return next.Any(kv => !previous.TryGetValue(kv.Key, out var before) || before != kv.Value) || written.Count > 0;
    }
}
