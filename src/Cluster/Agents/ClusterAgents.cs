namespace Telephony.Cluster.Agents;

/// <summary>
/// Agent state across the cluster at one moment, as a queue owner needs it: an agent may be offered a caller whose media
/// is on node N only when N's scheduler has the agent Available, no live node has the agent ringing, on a call, in
/// wrap-up or paused, and no owner has already assigned the agent to a caller (<c>cluster_calls.agent</c>).
/// </summary>
public sealed class ClusterAgents
{
    private readonly Dictionary<(string Node, string Agent), ClusterAgentState> _byNode = [];
    private readonly HashSet<string> _busy = new(StringComparer.Ordinal);

    /// <param name="states">The rows of live nodes.</param>
    /// <param name="assigned">The agents currently assigned to a caller (any queue).</param>
    public ClusterAgents(IEnumerable<ClusterAgentState> states, IEnumerable<string> assigned)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(assigned);
        foreach (var s in states)
        {
            _byNode[(s.Node, s.Agent)] = s;
            if (s.State is not (ClusterAgentState.Available or ClusterAgentState.LoggedOut))
            {
                _busy.Add(s.Agent);
            }
        }
        _busy.UnionWith(assigned);
    }

    /// <summary>Nobody (an empty cluster view).</summary>
    public static ClusterAgents None { get; } = new([], []);

    /// <summary>True when <paramref name="agent"/> may be rung now by <paramref name="node"/> for a caller.</summary>
    public bool IsFreeOn(string agent, string node) =>
        !_busy.Contains(agent) && _byNode.TryGetValue((node, agent), out var s) && s.State == ClusterAgentState.Available;

    /// <summary>Since when <paramref name="agent"/> is Available on <paramref name="node"/> (longest-idle).</summary>
    public DateTimeOffset IdleSince(string agent, string node) =>
        _byNode.TryGetValue((node, agent), out var s) ? s.Since : DateTimeOffset.MaxValue;

    /// <summary>Marks <paramref name="agent"/> busy in this view (just assigned, or found taken).</summary>
    public void Take(string agent) => _busy.Add(agent);
}
