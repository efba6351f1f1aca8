namespace Telephony.Pbx.Media.Mixer;

/// <summary>The three parties of a supervised call, as rows and columns of the <see cref="SupervisorHearing"/> matrix.</summary>
public enum SupervisedRole
{
    Caller,
    Agent,
    Supervisor,
}
