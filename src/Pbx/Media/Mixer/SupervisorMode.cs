namespace Telephony.Pbx.Media.Mixer;

/// <summary>How a supervisor joins a caller–agent call; see <see cref="SupervisorHearing"/> for who hears whom.</summary>
public enum SupervisorMode
{
    /// <summary>Silent monitoring: the supervisor hears caller and agent; nobody hears the supervisor.</summary>
    Listen,

    /// <summary>Coaching: the agent hears the supervisor, the caller does not.</summary>
    Whisper,

    /// <summary>Barge-in: all three hear each other.</summary>
    Barge,

    /// <summary>The supervisor and the caller hear each other; the agent is out of the mix (and leaves).</summary>
    TakeOver,
}
