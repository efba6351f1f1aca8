namespace Telephony.Pbx.Queues.Configuration;

/// <summary>What happens to a caller who waited longer than the queue's maximum wait.</summary>
public enum OverflowKind
{
    /// <summary>Move the caller to another queue, keeping their original arrival time for ordering and aging.</summary>
    Queue,
    /// <summary>Blind-transfer the caller to an extension or external number (executed by the call layer).</summary>
    Transfer,
    /// <summary>Play an optional goodbye prompt, then hang up.</summary>
    Hangup,
    /// <summary>Hand the caller back to the application that queued it: the caller's own max wait
    /// (<see cref="Commands.CallArrived.MaxWait"/>) passed, and the application (the IVR) continues at its overflow path.
    /// Never configured in queues.yaml.</summary>
    Application,
}
