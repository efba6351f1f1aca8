using Telephony.Pbx.Queues.Commands;

namespace Telephony.Pbx.Queues;

/// <summary>
/// The port through which the agent commands a node takes (<see cref="AgentLoggedIn"/>, <see cref="AgentLoggedOut"/>,
/// <see cref="AgentPaused"/>, <see cref="AgentResumed"/>, whoever posted them: the HTTP API, a feature code, a
/// registration) leave the queue layer, so that a cluster node can send them to the other nodes
/// (<c>src/Cluster/README.md</c>, "Bus"). <see cref="QueueSchedulerService"/> calls it on its loop, once per command,
/// after processing it (also when the scheduler ignored it: the other nodes may not be in the same state), and never
/// for a command posted with <see cref="QueueSchedulerService.PostFromPeer"/> (no echo between nodes).
/// Implementations must return quickly; exceptions are logged and ignored.
/// </summary>
public interface IAgentCommandObserver
{
    /// <summary>This node took an agent command.</summary>
    void OnAgentCommand(QueueCommand command);
}
