namespace Telephony.Pbx.Queues;

/// <summary>
/// Who decides which waiting caller rings which agent. Without a gate (a single server) the scheduler decides alone, as
/// described in <c>Queues/README.md</c>. On a cluster node the queue's owner (another node, or this one) decides for the
/// whole cluster and this node only rings what it was assigned (<c>src/Cluster/README.md</c>, "Dispatch"): the scheduler
/// asks the gate before every offer and tells it when an offer ends unanswered, so the caller waits at the same place and
/// the owner can choose again. Called on the scheduler's loop only; implementations answer from memory, quickly.
/// </summary>
public interface IQueueDispatchGate
{
    /// <summary>May the scheduler offer this waiting entry by its own rules? False: the gate governs it, and
    /// <paramref name="agent"/> is the one agent it may be offered to now (null: none yet, it keeps waiting).</summary>
    /// <param name="interactionId">The waiting caller or callback.</param>
    /// <param name="queue">The queue it waits in.</param>
    /// <param name="kind">A caller on the line or a callback.</param>
    /// <param name="agent">When governed: the agent assigned to it, or null.</param>
    bool DispatchesLocally(string interactionId, string queue, QueueEntryKind kind, out string? agent);

    /// <summary>The offer of a governed entry to <paramref name="agent"/> ended without an answer (no answer, busy,
    /// rejected, timeout, the caller left) or could not be made (the agent is not free here): the assignment is handed
    /// back.</summary>
    void Released(string interactionId, string agent);
}
