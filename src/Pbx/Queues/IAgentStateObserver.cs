using Telephony.Pbx.Queues.Actions;

namespace Telephony.Pbx.Queues;

/// <summary>
/// The port through which every agent state change leaves the queue layer (for the agent state history behind the
/// statistics, docs/metrics.md "Agent metrics"). <see cref="QueueSchedulerService"/> calls it on its loop, once per
/// change, in the order the scheduler made them, with the change's own time (<see cref="AgentStateChanged.At"/>).
/// Implementations must return quickly (hand database work to a background queue); exceptions are logged and
/// ignored.
/// </summary>
public interface IAgentStateObserver
{
    /// <summary>An agent moved from one state to another (pause reason set when the new state is Paused).</summary>
    void OnAgentStateChanged(AgentStateChanged change);
}
