namespace Telephony.Recording.Statistics;

/// <summary>Sums of one agent over one interval (or the whole range), durations in ticks; pause time by reason is
/// kept beside it (<see cref="AgentAccumulator"/>).</summary>
internal struct AgentCounters
{
    public int Handled;
    public long AvailableTicks;
    public long RingingTicks;
    public long OnCallTicks;
    public long WrapUpTicks;
    public long PausedTicks;

    public readonly long StaffedTicks => AvailableTicks + RingingTicks + OnCallTicks + WrapUpTicks + PausedTicks;

    public void Add(in AgentCounters other)
    {
        Handled += other.Handled;
        AvailableTicks += other.AvailableTicks;
        RingingTicks += other.RingingTicks;
        OnCallTicks += other.OnCallTicks;
        WrapUpTicks += other.WrapUpTicks;
        PausedTicks += other.PausedTicks;
    }
}
