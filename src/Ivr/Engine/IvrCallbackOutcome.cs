namespace Telephony.Ivr.Engine;

/// <summary>How a callback request ended, as reported by <see cref="IIvrChannel.RequestCallbackAsync"/>.</summary>
public enum IvrCallbackOutcome
{
    /// <summary>The caller confirmed a number and the callback is in the queue's line: the flow continues at <c>done</c>.</summary>
    Booked,
    /// <summary>No number was confirmed, or the queue refused the callback: the flow continues at <c>failed</c>.</summary>
    Failed,
}
