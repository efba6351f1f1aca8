namespace Telephony.Recording.Statistics;

/// <summary>
/// The metrics of one queue over one interval (or over the whole range: <see cref="ReportInterval.Index"/> = -1),
/// defined in docs/metrics.md. Every call is counted in the interval in which it entered the queue.
/// <c>Offered = Answered + Abandoned + Overflowed + CallbacksRequested + Waiting + Other</c>. Ratios are null when
/// their denominator is 0. The sums (<see cref="WaitSeconds"/>, <see cref="HandleSeconds"/>...) let a caller add rows
/// up (across queues, across intervals) and recompute the averages.
/// </summary>
public sealed record QueueIntervalStats
{
    public required string Queue { get; init; }

    public required ReportInterval Interval { get; init; }

    /// <summary>Threshold used for the service level (and for <see cref="AbandonedWithinThreshold"/>).</summary>
    public int ServiceLevelSeconds { get; init; }

    /// <summary>Threshold used for <see cref="ShortAbandoned"/> (0: disabled).</summary>
    public int ShortAbandonSeconds { get; init; }

    public int Offered { get; init; }

    public int Answered { get; init; }

    /// <summary>All abandons, short ones included.</summary>
    public int Abandoned { get; init; }

    /// <summary>Abandons after a wait ≤ <see cref="ShortAbandonSeconds"/> (a part of <see cref="Abandoned"/>).</summary>
    public int ShortAbandoned { get; init; }

    public int Overflowed { get; init; }

    public int CallbacksRequested { get; init; }

    /// <summary>Callbacks requested in this interval that reached the caller (a part of <see
    /// cref="CallbacksRequested"/>).</summary>
    public int CallbacksCompleted { get; init; }

    /// <summary>Still in the queue (no outcome yet).</summary>
    public int Waiting { get; init; }

    /// <summary>Left the queue another way before being answered (system, transfer out).</summary>
    public int Other { get; init; }

    /// <summary>Answered after a wait ≤ <see cref="ServiceLevelSeconds"/>.</summary>
    public int AnsweredWithinThreshold { get; init; }

    /// <summary>Abandoned after a wait ≤ <see cref="ServiceLevelSeconds"/> (short abandons included).</summary>
    public int AbandonedWithinThreshold { get; init; }

    /// <summary>AnsweredWithinThreshold ÷ (Offered − ShortAbandoned − Waiting).</summary>
    public double? ServiceLevel { get; init; }

    /// <summary>AnsweredWithinThreshold ÷ Answered.</summary>
    public double? ServiceLevelAnsweredOnly { get; init; }

    /// <summary>(AnsweredWithinThreshold + AbandonedWithinThreshold) ÷ (Offered − Waiting).</summary>
    public double? ServiceLevelAbandonsMet { get; init; }

    /// <summary>(Abandoned − ShortAbandoned) ÷ (Offered − ShortAbandoned − Waiting).</summary>
    public double? AbandonRate { get; init; }

    /// <summary>Mean wait of answered calls.</summary>
    public double? AsaSeconds { get; init; }

    /// <summary>Mean wait of the calls that left the queue at a known time (<see cref="WaitCount"/> calls).</summary>
    public double? AvgWaitSeconds { get; init; }

    /// <summary>Longest wait among the same calls.</summary>
    public double? LongestWaitSeconds { get; init; }

    /// <summary>Mean talk + hold + wrap-up of the answered calls whose handling is over (<see cref="HandledCount"/>).</summary>
    public double? AhtSeconds { get; init; }

    /// <summary>Sum of the waits of answered calls (numerator of <see cref="AsaSeconds"/>).</summary>
    public double AnsweredWaitSeconds { get; init; }

    /// <summary>Calls that left the queue at a known time (denominator of <see cref="AvgWaitSeconds"/>).</summary>
    public int WaitCount { get; init; }

    /// <summary>Sum of their waits.</summary>
    public double WaitSeconds { get; init; }

    /// <summary>Answered calls with their handling over (denominator of <see cref="AhtSeconds"/>).</summary>
    public int HandledCount { get; init; }

    /// <summary>Sum of their talk + hold + wrap-up.</summary>
    public double HandleSeconds { get; init; }

    internal static QueueIntervalStats Create(string queue, ReportInterval interval, QueueThresholds thresholds, in QueueCounters c)
    {
        int slDenominator = c.Offered - c.ShortAbandoned - c.Waiting;
        return new QueueIntervalStats
        {
            Queue = queue,
            Interval = interval,
            ServiceLevelSeconds = thresholds.ServiceLevelSeconds,
            ShortAbandonSeconds = thresholds.ShortAbandonSeconds,
            Offered = c.Offered,
            Answered = c.Answered,
            Abandoned = c.Abandoned,
            ShortAbandoned = c.ShortAbandoned,
            Overflowed = c.Overflowed,
            CallbacksRequested = c.CallbacksRequested,
            CallbacksCompleted = c.CallbacksCompleted,
            Waiting = c.Waiting,
            Other = c.Other,
            AnsweredWithinThreshold = c.AnsweredWithinThreshold,
            AbandonedWithinThreshold = c.AbandonedWithinThreshold,
            ServiceLevel = Ratio(c.AnsweredWithinThreshold, slDenominator),
            ServiceLevelAnsweredOnly = Ratio(c.AnsweredWithinThreshold, c.Answered),
            ServiceLevelAbandonsMet = Ratio(c.AnsweredWithinThreshold + c.AbandonedWithinThreshold, c.Offered - c.Waiting),
            AbandonRate = Ratio(c.Abandoned - c.ShortAbandoned, slDenominator),
            AsaSeconds = Ratio(Seconds(c.AnsweredWaitTicks), c.Answered),
            AvgWaitSeconds = Ratio(Seconds(c.WaitTicks), c.WaitCount),
            LongestWaitSeconds = c.WaitCount == 0 ? null : Seconds(c.LongestWaitTicks),
            AhtSeconds = Ratio(Seconds(c.HandleTicks), c.HandledCount),
            AnsweredWaitSeconds = Seconds(c.AnsweredWaitTicks),
            WaitCount = c.WaitCount,
            WaitSeconds = Seconds(c.WaitTicks),
            HandledCount = c.HandledCount,
            HandleSeconds = Seconds(c.HandleTicks),
        };
    }

    internal static double Seconds(long ticks) => ticks / (double)TimeSpan.TicksPerSecond;

    internal static double? Ratio(double numerator, long denominator) => denominator <= 0 ? null : numerator / denominator;
}
