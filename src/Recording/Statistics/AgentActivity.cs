namespace Telephony.Recording.Statistics;

/// <summary>The state an agent is in during an <see cref="AgentStateSpan"/> (the queue scheduler's agent states).
/// Staffed time is every state but <see cref="LoggedOut"/> (docs/metrics.md, "Agent metrics").</summary>
public enum AgentActivity
{
    LoggedOut,

    /// <summary>Idle, ready for the next call.</summary>
    Available,

    /// <summary>Offered a call, phone ringing.</summary>
    Ringing,

    /// <summary>Connected to a caller (talking or holding).</summary>
    OnCall,

    /// <summary>After-call work.</summary>
    WrapUp,

    /// <summary>Not taking calls, with a reason.</summary>
    Paused,
}
