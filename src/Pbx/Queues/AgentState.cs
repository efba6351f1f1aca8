namespace Telephony.Pbx.Queues;

/// <summary>State of an agent in the queue scheduler; transitions are listed in <see cref="AgentTransitions"/>.</summary>
public enum AgentState
{
    LoggedOut,
    Available,
    /// <summary>Offered exactly one call, phone ringing.</summary>
    Ringing,
    OnCall,
    /// <summary>After-call work for the queue's wrap-up seconds.</summary>
    WrapUp,
    /// <summary>Not taking calls, with a reason.</summary>
    Paused,
}
