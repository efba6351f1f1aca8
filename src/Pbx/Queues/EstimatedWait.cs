namespace Telephony.Pbx.Queues;

/// <summary>The estimated-wait arithmetic announced to callers (documented in <c>Queues/README.md</c>):
/// <c>AHT = mean(recent handle times)</c> or the default handle time when there are none,
/// <c>EWT = ceil(position / staffed) × AHT</c>, rounded up to a whole second; unknown (null) when no agent is staffed.</summary>
public static class EstimatedWait
{
    /// <param name="position">1-based position in the queue.</param>
    /// <param name="staffedAgents">Logged-in, unpaused agents of the queue (available, ringing, on call or in wrap-up).</param>
    /// <param name="recentHandleTimes">Recent handle times (talk time + wrap-up), newest last.</param>
    /// <param name="defaultHandleTime">Used while the queue has no history.</param>
    public static TimeSpan? Compute(int position, int staffedAgents, IReadOnlyCollection<TimeSpan> recentHandleTimes, TimeSpan defaultHandleTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        if (staffedAgents <= 0)
        {
            return null;
        }
        var aht = AverageHandleTime(recentHandleTimes, defaultHandleTime);
        long rounds = (position + staffedAgents - 1) / staffedAgents;
        var ticks = rounds * aht.Ticks;
        var wholeSeconds = (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        return TimeSpan.FromSeconds(wholeSeconds);
    }

    /// <summary>The arithmetic mean of <paramref name="recentHandleTimes"/>, or <paramref name="defaultHandleTime"/>.</summary>
    public static TimeSpan AverageHandleTime(IReadOnlyCollection<TimeSpan> recentHandleTimes, TimeSpan defaultHandleTime)
    {
        if (recentHandleTimes.Count == 0)
        {
            return defaultHandleTime;
        }
        long sum = 0;
        foreach (var t in recentHandleTimes)
        {
            sum += t.Ticks;
        }
        return TimeSpan.FromTicks(sum / recentHandleTimes.Count);
    }
}
