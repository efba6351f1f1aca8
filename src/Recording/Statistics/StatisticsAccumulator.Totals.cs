namespace Telephony.Recording.Statistics;

/// <summary>Adding pre-summed buckets (the rollup tables) instead of single facts.</summary>
public sealed partial class StatisticsAccumulator
{
    /// <summary>The thresholds <paramref name="queue"/> is reported with (its own, else the defaults).</summary>
    public QueueThresholds ThresholdsFor(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return _options.Queues.TryGetValue(queue, out QueueThresholds? configured) ? configured : _options.DefaultThresholds;
    }

    /// <summary>Adds a bucket of visits as <see cref="AddCall"/> would add each of them. False (nothing added) when the
    /// bucket [start, start + <paramref name="bucketLength"/>) is not wholly inside one interval of the range, or when
    /// its threshold counts were made with other thresholds than this report's: read its visits then.</summary>
    public bool TryAddVisitTotals(in QueueVisitTotals totals, TimeSpan bucketLength)
    {
        if (!TryBucketIndex(totals.BucketStart, bucketLength, out int index)
            || (totals.Offered > 0 && !string.IsNullOrEmpty(totals.Queue) && ThresholdsFor(totals.Queue) != totals.Thresholds))
        {
            return false;
        }

        _callsRejected += totals.Rejected;
        if (totals.Offered == 0 || string.IsNullOrEmpty(totals.Queue))
        {
            return true;
        }

        ref QueueCounters c = ref QueueFor(totals.Queue).Intervals[index];
        c.Add(new QueueCounters
        {
            Offered = totals.Offered,
            Waiting = totals.Waiting,
            Answered = totals.Answered,
            AnsweredWaitTicks = totals.AnsweredWait.Ticks,
            AnsweredWithinThreshold = totals.AnsweredWithinThreshold,
            HandledCount = totals.HandledCount,
            HandleTicks = totals.HandleTime.Ticks,
            Abandoned = totals.Abandoned,
            ShortAbandoned = totals.ShortAbandoned,
            AbandonedWithinThreshold = totals.AbandonedWithinThreshold,
            Overflowed = totals.Overflowed,
            CallbacksRequested = totals.CallbacksRequested,
            Other = totals.Other,
            WaitCount = totals.WaitCount,
            WaitTicks = totals.Wait.Ticks,
            LongestWaitTicks = totals.LongestWait.Ticks,
        });
        return true;
    }

    /// <summary>Adds <paramref name="handled"/> answered visits of <paramref name="agent"/> that entered their queue in
    /// the bucket at <paramref name="bucketStart"/>; false (nothing added) when the bucket is not inside one interval.</summary>
    public bool TryAddHandled(string agent, DateTimeOffset bucketStart, TimeSpan bucketLength, int handled)
    {
        if (!TryBucketIndex(bucketStart, bucketLength, out int index))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(agent) && handled > 0)
        {
            AgentFor(agent).Intervals[index].Handled += handled;
        }

        return true;
    }

    private bool TryBucketIndex(DateTimeOffset start, TimeSpan length, out int index)
    {
        long from = start.UtcTicks;
        long to = from + length.Ticks;
        index = -1;
        if (length <= TimeSpan.Zero || from < _grid.FromTicks || to > _grid.ToTicks)
        {
            return false;
        }

        index = _grid.IndexOf(from, ref _callHint);
        return to <= _grid.EndTicks(index);
    }
}
