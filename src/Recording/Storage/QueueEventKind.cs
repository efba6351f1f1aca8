namespace Telephony.Recording.Storage;

/// <summary>What happened to a call in a queue (base for queue statistics).</summary>
public enum QueueEventKind
{
    Entered,
    AgentRung,
    AgentNoAnswer,
    Answered,
    Abandoned,
    Overflowed,
    Transferred,
}
