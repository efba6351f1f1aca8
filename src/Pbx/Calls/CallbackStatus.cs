namespace Telephony.Pbx.Calls;

/// <summary>Where a callback stands (the <c>callbacks.status</c> column).</summary>
public enum CallbackStatus
{
    /// <summary>In the queue's line (or being attempted).</summary>
    Pending,

    /// <summary>The customer answered and talked to an agent.</summary>
    Completed,

    /// <summary>Every attempt failed, or an attempt was cut by a restart (never redialed: the customer may have been
    /// called). Raises <c>callback_failed</c>.</summary>
    Failed,

    /// <summary>Its deadline passed before it could be made. Raises <c>callback_failed</c>.</summary>
    Expired,

    /// <summary>Cancelled by a supervisor or admin (or the caller reached an agent before it was booked).</summary>
    Cancelled,
}
