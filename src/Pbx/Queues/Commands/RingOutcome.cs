namespace Telephony.Pbx.Queues.Commands;

/// <summary>How an agent's ringing leg ended, as reported by the call layer.</summary>
public enum RingOutcome
{
    /// <summary>2xx from the agent's phone: bridge the caller to this agent.</summary>
    Answered,
    /// <summary>The phone rang out on its own (408/480) before the queue's ring timeout.</summary>
    NoAnswer,
    /// <summary>486/600 Busy.</summary>
    Busy,
    /// <summary>603 Decline or any other failure (unreachable, not registered...).</summary>
    Rejected,
}
