namespace Telephony.Pbx.Calls;

/// <summary>How one attempt of a callback ended (<see cref="CallbackCall.CustomerResult"/>): the customer answered
/// and was bridged to the agent, or the attempt failed and counts against the callback's attempts (busy, no answer,
/// failure), or it ended on our side before or while the customer was called (the agent left, or it was never dialed).</summary>
public enum CallbackAttemptResult
{
    /// <summary>The customer answered; the agent and the customer are bridged.</summary>
    Answered,

    /// <summary>The customer was busy (486 Busy Here, 600 Busy Everywhere).</summary>
    Busy,

    /// <summary>Nobody answered within the customer ring time (CANCEL), or 408/480/487.</summary>
    NoAnswer,

    /// <summary>Any other failure: the trunk refused the call (4xx/5xx/6xx), its host was not found, no media port.</summary>
    Failed,

    /// <summary>The agent hung up while the customer's phone rang (the customer's INVITE was cancelled).</summary>
    AgentLeft,

    /// <summary>The customer was never called (the agent's leg ended first, or the callback was withdrawn).</summary>
    NotDialed,
}
