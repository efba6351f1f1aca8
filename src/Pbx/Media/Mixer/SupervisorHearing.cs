namespace Telephony.Pbx.Media.Mixer;

/// <summary>
/// The hearing matrix of each <see cref="SupervisorMode"/> (pure functions, no state):
/// <list type="table">
/// <listheader><term>Mode</term><description>Caller hears / Agent hears / Supervisor hears</description></listheader>
/// <item><term>Listen</term><description>agent / caller / caller + agent</description></item>
/// <item><term>Whisper</term><description>agent / caller + supervisor / caller + agent</description></item>
/// <item><term>Barge</term><description>agent + supervisor / caller + supervisor / caller + agent</description></item>
/// <item><term>TakeOver</term><description>supervisor / nobody / caller</description></item>
/// </list>
/// A role talks exactly when somebody hears it, so a listening supervisor is listen-only and a removed agent is silent.
/// </summary>
public static class SupervisorHearing
{
    /// <summary>True when <paramref name="listener"/> hears <paramref name="talker"/> in <paramref name="mode"/>.</summary>
    public static bool Hears(SupervisorMode mode, SupervisedRole listener, SupervisedRole talker)
    {
        if (listener == talker)
        {
            return false; // mix-minus
        }

        return mode switch
        {
            SupervisorMode.Listen => talker != SupervisedRole.Supervisor,
            SupervisorMode.Whisper => talker != SupervisedRole.Supervisor || listener == SupervisedRole.Agent,
            SupervisorMode.Barge => true,
            SupervisorMode.TakeOver => listener != SupervisedRole.Agent && talker != SupervisedRole.Agent,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    /// <summary>True when anybody hears <paramref name="role"/> in <paramref name="mode"/>.</summary>
    public static bool Talks(SupervisorMode mode, SupervisedRole role) =>
        Hears(mode, SupervisedRole.Caller, role) || Hears(mode, SupervisedRole.Agent, role) ||
        Hears(mode, SupervisedRole.Supervisor, role);

    /// <summary>
    /// The mixer routing of <paramref name="role"/> in <paramref name="mode"/>, given the mixer slots of the three
    /// parties: the <c>hears</c> mask has the bits of the roles it hears.
    /// </summary>
    public static MixerRouting Routing(SupervisorMode mode, SupervisedRole role, int callerSlot, int agentSlot,
        int supervisorSlot)
    {
        var hears = 0UL;
        if (Hears(mode, role, SupervisedRole.Caller))
        {
            hears |= AudioMixer.Bit(callerSlot);
        }

        if (Hears(mode, role, SupervisedRole.Agent))
        {
            hears |= AudioMixer.Bit(agentSlot);
        }

        if (Hears(mode, role, SupervisedRole.Supervisor))
        {
            hears |= AudioMixer.Bit(supervisorSlot);
        }

        return new MixerRouting(Talks(mode, role), hears);
    }
}
