namespace Telephony.Pbx.Queues.Configuration;

/// <summary>How a queue picks the agent(s) to ring for its next caller (see <c>Queues/README.md</c>).</summary>
public enum QueueStrategy
{
    /// <summary>Ring the agent who has been available the longest (idle since login or the end of their last wrap-up).</summary>
    LongestIdle,
    /// <summary>Ring members in configured order, continuing after the last agent offered a call by this queue.</summary>
    RoundRobin,
    /// <summary>Ring every eligible agent at once; the first to answer gets the caller, the other legs are cancelled.</summary>
    RingAll,
}
