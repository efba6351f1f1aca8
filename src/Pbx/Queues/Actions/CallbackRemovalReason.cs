namespace Telephony.Pbx.Queues.Actions;

/// <summary>Why a callback left the line without being completed.</summary>
public enum CallbackRemovalReason
{
    /// <summary><see cref="Commands.CallbackCancelled"/>: cancelled by a person, or its last attempt failed.</summary>
    Cancelled,

    /// <summary>Its deadline passed while it waited.</summary>
    Expired,
}
