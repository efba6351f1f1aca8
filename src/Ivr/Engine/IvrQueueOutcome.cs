namespace Telephony.Ivr.Engine;

/// <summary>How a queue hand-off ended, as reported by <see cref="IIvrChannel.EnqueueAsync"/>.</summary>
public enum IvrQueueOutcome
{
    /// <summary>An agent answered: the call leaves the IVR.</summary>
    Answered,
    /// <summary>Max wait passed unanswered: the flow continues at the queue node's <c>overflow</c>.</summary>
    Overflow,
    /// <summary>The queue refused the call (unknown, closed): the flow takes its error path.</summary>
    Rejected,
    /// <summary>The caller booked a callback while waiting: the flow continues at the queue node's <c>callback</c> (or
    /// the IVR ends, the queue having said goodbye).</summary>
    Callback,
}
