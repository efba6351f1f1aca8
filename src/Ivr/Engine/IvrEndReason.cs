namespace Telephony.Ivr.Engine;

/// <summary>Why a call left the IVR (the <c>end_reason</c> variable seen by <c>on_end</c> handlers, in snake_case).</summary>
public enum IvrEndReason
{
    /// <summary>The caller hung up (in a prompt, a menu, or while waiting in a queue).</summary>
    CallerHangup,
    /// <summary>A hangup node ended the call.</summary>
    Hangup,
    /// <summary>A queue handed the call to an agent.</summary>
    Answered,
    /// <summary>A transfer connected.</summary>
    Transferred,
    /// <summary>Something failed and no error path was left (or max_visits was exceeded on the error path itself).</summary>
    Error,
    /// <summary>The caller booked a callback in a queue that has no <c>callback</c> path: the queue said goodbye.</summary>
    Callback,
}
