using Telephony.Cluster.Bus;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;

namespace Telephony.Host.Cluster;

/// <summary>
/// The agent state port of a cluster node's queue scheduler (one decorator): passes every change to
/// <paramref name="inner"/> (the agent state history), queues it for <c>cluster_agents</c> through
/// <paramref name="tracker"/> (queue owners on any node see the agent ringing, on a call, in wrap-up or paused here) and
/// for the other nodes on the bus as <see cref="BusLiveView.AgentState"/> (their event streams show it when the nodes
/// do not share one event log). Returns at once, as the port requires.
/// </summary>
public sealed class ClusterAgentObserver(IAgentStateObserver inner, ClusterCallTracker tracker, BusNode bus) : IAgentStateObserver
{
    public void OnAgentStateChanged(AgentStateChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        inner.OnAgentStateChanged(change);
        tracker.AgentStateChanged(change.Agent, change.To.ToString(), change.At);
        bus.Publish(BusLiveView.AgentState, BusCodec.ToBody(new
        {
            agent = change.Agent,
            from = change.From.ToString(),
            to = change.To.ToString(),
            pauseReason = change.PauseReason,
            at = change.At,
        }));
    }
}
