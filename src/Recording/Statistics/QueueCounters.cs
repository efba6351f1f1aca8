namespace Telephony.Recording.Statistics;

/// <summary>Sums of one queue over one interval (or the whole range); ratios come out in <see
/// cref="QueueIntervalStats"/>. Durations are in ticks, so sums are exact.</summary>
internal struct QueueCounters
{
    public int Offered;
    public int Answered;
    public int Abandoned;
    public int ShortAbandoned;
    public int Overflowed;
    public int CallbacksRequested;
    public int CallbacksCompleted;
    public int Waiting;
    public int Other;
    public int AnsweredWithinThreshold;
    public int AbandonedWithinThreshold;
    public int WaitCount;
    public int HandledCount;
    public long AnsweredWaitTicks;
    public long WaitTicks;
    public long LongestWaitTicks;
    public long HandleTicks;

    public void Add(in QueueCounters other)
    {
        Offered += other.Offered;
        Answered += other.Answered;
        Abandoned += other.Abandoned;
        ShortAbandoned += other.ShortAbandoned;
        Overflowed += other.Overflowed;
        CallbacksRequested += other.CallbacksRequested;
        CallbacksCompleted += other.CallbacksCompleted;
        Waiting += other.Waiting;
        Other += other.Other;
        AnsweredWithinThreshold += other.AnsweredWithinThreshold;
        AbandonedWithinThreshold += other.AbandonedWithinThreshold;
        WaitCount += other.WaitCount;
        HandledCount += other.HandledCount;
        AnsweredWaitTicks += other.AnsweredWaitTicks;
        WaitTicks += other.WaitTicks;
        LongestWaitTicks = Math.Max(LongestWaitTicks, other.LongestWaitTicks);
        HandleTicks += other.HandleTicks;
    }
}
