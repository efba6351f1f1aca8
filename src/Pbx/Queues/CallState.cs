namespace Telephony.Pbx.Queues;

/// <summary>State of a caller in the queue scheduler; transitions are listed in <see cref="CallTransitions"/>.</summary>
public enum CallState
{
    Waiting,
    /// <summary>One agent (or several, ring-all) is being rung.</summary>
    Offering,
    Connected,
    /// <summary>Terminal: the caller hung up before reaching an agent.</summary>
    Abandoned,
    /// <summary>Terminal: max wait reached and the caller was transferred or hung up.</summary>
    Overflowed,
    /// <summary>Terminal: the bridged call ended.</summary>
    Done,
    /// <summary>Terminal: a callback left the line without being completed (cancelled, expired, last attempt failed).</summary>
    Withdrawn,
}
