namespace Telephony.Pbx.Queues;

/// <summary>What holds a place in a queue's line: a caller on the line, or a callback promised to a customer who is not
/// (the server calls the customer once an agent is reserved). Both kinds are served in one order (priority, then
/// original arrival); see <c>Queues/README.md</c>, "Callbacks".</summary>
public enum QueueEntryKind
{
    /// <summary>A caller waiting on the line (hold music, announcements, max wait).</summary>
    Caller,

    /// <summary>A callback: no caller on the line; the agent is rung first, then the customer is called.</summary>
    Callback,
}
