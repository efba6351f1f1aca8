using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;

namespace Telephony.Host.Cluster;

/// <summary>
/// The agent state observer of a cluster node: passes every change to <paramref name="inner"/> (the agent state history)
/// and queues it for <c>cluster_agents</c> through <paramref name="tracker"/>, so that queue owners on any node see the
/// agent ringing, on a call, in wrap-up or paused here.
/// </summary>
public sealed class ClusterAgentObserver(IAgentStateObserver inner, ClusterCallTracker tracker) : IAgentStateObserver
{
    public void OnAgentStateChanged(AgentStateChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        inner.OnAgentStateChanged(change);
        tracker.AgentStateChanged(change.Agent, change.To.ToString(), change.At);
    }
}
