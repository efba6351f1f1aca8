using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Queues;

/// <summary>
/// Where an entry (caller or callback) stands in a queue's line: the one service order of a single server's scheduler
/// and of a cluster queue's owner (<c>src/Cluster/README.md</c>, "Dispatch"), so both order alike: a caller put back at
/// the head first, then higher effective priority (base priority raised by time waited, <see cref="PriorityAging"/>),
/// then earlier first arrival, then arrival sequence.
/// </summary>
/// <param name="AtHead">Back in line after its agent was lost: before everyone else.</param>
/// <param name="EffectivePriority">Priority now, aging included.</param>
/// <param name="ArrivedAt">First arrival (kept across overflows; a callback keeps its caller's).</param>
/// <param name="Sequence">Arrival sequence, the last tie-breaker.</param>
public readonly record struct QueueOrderKey(bool AtHead, int EffectivePriority, DateTimeOffset ArrivedAt, long Sequence)
{
    /// <summary>The key of an entry with <paramref name="basePriority"/> that arrived at <paramref name="arrivedAt"/>, at
    /// <paramref name="now"/>, in a queue with <paramref name="aging"/>.</summary>
    public static QueueOrderKey Of(PriorityAging aging, DateTimeOffset now, int basePriority, DateTimeOffset arrivedAt, long sequence,
        bool atHead = false)
    {
        ArgumentNullException.ThrowIfNull(aging);
        return new(atHead, aging.EffectivePriority(basePriority, now - arrivedAt), arrivedAt, sequence);
    }

    /// <summary>Negative when <paramref name="a"/> is served before <paramref name="b"/>.</summary>
    public static int Compare(in QueueOrderKey a, in QueueOrderKey b)
    {
        if (a.AtHead != b.AtHead)
        {
            return a.AtHead ? -1 : 1;
        }
        var byPriority = b.EffectivePriority.CompareTo(a.EffectivePriority);
        if (byPriority != 0)
        {
            return byPriority;
        }
        var byArrival = a.ArrivedAt.CompareTo(b.ArrivedAt);
        return byArrival != 0 ? byArrival : a.Sequence.CompareTo(b.Sequence);
    }
}
