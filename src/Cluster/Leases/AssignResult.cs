namespace Telephony.Cluster.Leases;

/// <summary>What became of a queue owner's assignment (<see cref="QueueAssignmentStore.TryAssignAsync"/>).</summary>
public enum AssignResult
{
    /// <summary>Stored: the node holding the caller's media rings the agent.</summary>
    Assigned,

    /// <summary>Refused: the lease it was decided under is no longer current (lapsed, or another node owns the queue).</summary>
    Fenced,

    /// <summary>Refused: the caller no longer waits in this queue, or is already assigned.</summary>
    CallerGone,

    /// <summary>Refused: the agent is already assigned to another caller (one caller per agent, cluster-wide).</summary>
    AgentTaken,
}
