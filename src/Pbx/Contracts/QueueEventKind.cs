namespace Telephony.Pbx.Contracts;

/// <summary>What happened to a caller in a queue: reported by the call layer's queue coordinator, stored as the call's
/// queue events (the base of queue statistics).</summary>
public enum QueueEventKind
{
    /// <summary>The caller entered the queue (from the IVR, an overflow to another queue, or a transfer).</summary>
    Entered,

    /// <summary>An agent's phones are being rung for the caller.</summary>
    AgentRung,

    /// <summary>The rung agent did not take the call (ring timeout, busy, rejected, paused or logged out meanwhile).</summary>
    AgentNoAnswer,

    /// <summary>An agent answered and the caller is bridged to them.</summary>
    Answered,

    /// <summary>The caller hung up while waiting or while agents rang.</summary>
    Abandoned,

    /// <summary>The caller reached the max wait and left the queue for its overflow target.</summary>
    Overflowed,

    /// <summary>The connected agent blind-transferred the caller (REFER) to a queue or an extension.</summary>
    Transferred,

    /// <summary>The waiting caller chose a callback: its place in line is kept by the callback, the caller's stay ends
    /// (not an abandon). Detail: <c>callback:&lt;id&gt;</c>.</summary>
    CallbackRequested,
}
