using Telephony.Cluster.Bus;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;

namespace Telephony.Host.Cluster;

/// <summary>
/// The agent state port of a node on the cluster bus: passes every change to <paramref name="inner"/> (the agent state
/// history) and queues it for the other nodes as <see cref="BusLiveView.AgentState"/> (their event streams show it when
/// the nodes do not share one event log). Returns at once, as the port requires.
/// </summary>
public sealed class BusAgentStates(IAgentStateObserver inner, BusNode bus) : IAgentStateObserver
{
    public void OnAgentStateChanged(AgentStateChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        inner.OnAgentStateChanged(change);
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
