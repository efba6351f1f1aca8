namespace Telephony.Recording.Statistics;

/// <summary>How one visit of a call to one queue ended (docs/metrics.md, "Outcomes"). Every offered call has exactly
/// one, so <c>offered = answered + abandoned + overflowed + callbacksRequested + waiting + other</c>.</summary>
public enum QueueCallOutcome
{
    /// <summary>Still in the queue at <see cref="StatisticsOptions.Now"/> (no outcome yet).</summary>
    Waiting,

    /// <summary>An agent answered; the outcome time is the answer.</summary>
    Answered,

    /// <summary>The caller hung up while waiting or while agents rang; the outcome time is the hangup.</summary>
    Abandoned,

    /// <summary>The caller left for the queue's overflow target (another queue, a transfer, a goodbye message) after
    /// the max wait; the outcome time is the overflow. An overflow to another queue is offered again there.</summary>
    Overflowed,

    /// <summary>The caller asked to be called back and left the queue; the outcome time is the request. Not an
    /// abandon.</summary>
    CallbackRequested,

    /// <summary>Left the queue any other way before an agent answered: removed by the system (no agent logged in,
    /// queue closed, failure, server restart) or transferred out by an operator. The outcome time, when known, is when
    /// it left.</summary>
    Other,
}
