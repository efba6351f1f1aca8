using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Telephony.Recording.Statistics;

/// <summary>
/// Streaming interval aggregation of queue call facts and agent state spans (docs/metrics.md). Feed the rows as they
/// are read (<see cref="AddCall"/>, <see cref="AddAgentSpan"/>, any order), then <see cref="Build"/> the report.
/// Adding a call costs a dictionary lookup per queue (and agent) name, an interval lookup (the last interval is tried
/// first, then a binary search) and a few additions into preallocated counters: nothing is allocated per fact, except
/// the counters of a queue, agent or pause reason the first time it appears. A span costs one step per interval it
/// crosses. Not thread-safe: one accumulator per report.
/// </summary>
public sealed partial class StatisticsAccumulator
{
    private static readonly IReadOnlyDictionary<string, double> NoPause = ReadOnlyDictionary<string, double>.Empty;

    private readonly StatisticsOptions _options;
    private readonly IntervalGrid _grid;
    private readonly long _spanEndTicks;
    private readonly Dictionary<string, QueueAccumulator> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentAccumulator> _agents = new(StringComparer.Ordinal);
    private QueueAccumulator? _lastQueue;
    private AgentAccumulator? _lastAgent;
    private int _callHint;
    private int _spanHint;
    private long _callsOutsideRange;
    private long _callsRejected;
    private long _spansRejected;

    /// <summary>Creates the accumulator; throws <see cref="ArgumentException"/> with the reason of <see
    /// cref="TryCreate"/>.</summary>
    public StatisticsAccumulator(StatisticsOptions options)
        : this(options, CreateGrid(options))
    {
    }

    private StatisticsAccumulator(StatisticsOptions options, IntervalGrid grid)
    {
        _options = options;
        _grid = grid;
        _spanEndTicks = Math.Min(grid.ToTicks, options.Now.UtcTicks);
        foreach (KeyValuePair<string, QueueThresholds> queue in options.Queues)
        {
            QueueFor(queue.Key);
        }

        foreach (string agent in options.Agents)
        {
            AgentFor(agent);
        }
    }

    /// <summary>The intervals of the report.</summary>
    public IntervalGrid Grid => _grid;

    /// <summary>Creates the accumulator, or says why the options cannot make a report (range, interval count).</summary>
    public static bool TryCreate(
        StatisticsOptions options,
        [NotNullWhen(true)] out StatisticsAccumulator? accumulator,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(options);
        accumulator = null;
        error = CheckThresholds(options);
        if (error is not null
            || !IntervalGrid.TryCreate(options.TimeZone, options.Interval, options.From, options.To, out IntervalGrid? grid, out error))
        {
            return false;
        }

        accumulator = new StatisticsAccumulator(options, grid);
        return true;
    }

    /// <summary>Counts one queue visit in the interval in which it entered the queue. Facts entered outside the
    /// range are skipped (<see cref="StatisticsReport.CallsOutsideRange"/>); unusable ones are skipped and counted
    /// (<see cref="StatisticsReport.CallsRejected"/>). Never throws for bad data.</summary>
    public void AddCall(in QueueCallFact fact)
    {
        long entered = fact.EnteredAt.UtcTicks;
        if (entered < _grid.FromTicks || entered >= _grid.ToTicks)
        {
            _callsOutsideRange++;
            return;
        }

        QueueCallOutcome outcome = fact.Outcome;
        bool timed = fact.OutcomeAt.HasValue;
        if (string.IsNullOrEmpty(fact.Queue) || (uint)outcome > (uint)QueueCallOutcome.Other || (!timed && NeedsTime(outcome)))
        {
            _callsRejected++;
            return;
        }

        int index = _grid.IndexOf(entered, ref _callHint);
        QueueAccumulator queue = QueueFor(fact.Queue);
        ref QueueCounters c = ref queue.Intervals[index];
        c.Offered++;
        long wait = timed ? Math.Max(0, fact.OutcomeAt.GetValueOrDefault().UtcTicks - entered) : 0;
        switch (outcome)
        {
            case QueueCallOutcome.Waiting:
                c.Waiting++;
                return;
            case QueueCallOutcome.Answered:
                c.Answered++;
                c.AnsweredWaitTicks += wait;
                if (wait <= queue.ServiceLevelTicks)
                {
                    c.AnsweredWithinThreshold++;
                }

                if (fact.TalkTime is { } talk && fact.WrapUpTime is { } wrapUp)
                {
                    c.HandledCount++;
                    c.HandleTicks += Math.Max(0, talk.Ticks) + Math.Max(0, fact.HoldTime.Ticks) + Math.Max(0, wrapUp.Ticks);
                }

                if (!string.IsNullOrEmpty(fact.Agent))
                {
                    AgentFor(fact.Agent).Intervals[index].Handled++;
                }

                break;
            case QueueCallOutcome.Abandoned:
                c.Abandoned++;
                if (wait <= queue.ShortAbandonTicks && queue.ShortAbandonTicks > 0)
                {
                    c.ShortAbandoned++;
                }

                if (wait <= queue.ServiceLevelTicks)
                {
                    c.AbandonedWithinThreshold++;
                }

                break;
            case QueueCallOutcome.Overflowed:
                c.Overflowed++;
                break;
            case QueueCallOutcome.CallbackRequested:
                c.CallbacksRequested++;
                if (fact.CallbackCompletedAt.HasValue)
                {
                    c.CallbacksCompleted++;
                }

                break;
            default:
                c.Other++;
                if (!timed)
                {
                    return;
                }

                break;
        }

        c.WaitCount++;
        c.WaitTicks += wait;
        if (wait > c.LongestWaitTicks)
        {
            c.LongestWaitTicks = wait;
        }
    }

    /// <summary>Adds the part of an agent state span inside [range start, min(range end, now)), split at interval
    /// boundaries; an open span (no end) runs to now. Logged-out spans count no time (the agent is still reported). Unusable spans (no agent, end
    /// before start) are counted in <see cref="StatisticsReport.SpansRejected"/>. Never throws for bad data.</summary>
    public void AddAgentSpan(in AgentStateSpan span)
    {
        long from = span.From.UtcTicks;
        long to = span.To?.UtcTicks ?? long.MaxValue;
        if (string.IsNullOrEmpty(span.Agent) || to < from || (uint)span.State > (uint)AgentActivity.Paused)
        {
            _spansRejected++;
            return;
        }

        AgentAccumulator agent = AgentFor(span.Agent); // reported even when this span adds nothing
        long start = Math.Max(from, _grid.FromTicks);
        long end = Math.Min(to, _spanEndTicks);
        if (span.State == AgentActivity.LoggedOut || end <= start)
        {
            return;
        }

        long[]? reasonTicks = span.State == AgentActivity.Paused
            ? agent.PausedTicksFor(string.IsNullOrEmpty(span.Reason) ? AgentIntervalStats.UnspecifiedReason : span.Reason)
            : null;
        int index = _grid.IndexOf(start, ref _spanHint);
        while (true)
        {
            long segmentEnd = Math.Min(end, _grid.EndTicks(index));
            long ticks = segmentEnd - start;
            ref AgentCounters c = ref agent.Intervals[index];
            switch (span.State)
            {
                case AgentActivity.Available:
                    c.AvailableTicks += ticks;
                    break;
                case AgentActivity.Ringing:
                    c.RingingTicks += ticks;
                    break;
                case AgentActivity.OnCall:
                    c.OnCallTicks += ticks;
                    break;
                case AgentActivity.WrapUp:
                    c.WrapUpTicks += ticks;
                    break;
                default:
                    c.PausedTicks += ticks;
                    reasonTicks![index] += ticks;
                    break;
            }

            if (segmentEnd >= end)
            {
                return;
            }

            start = segmentEnd;
            index++;
        }
    }

    /// <summary>The report so far (the accumulator may go on and build again).</summary>
    public StatisticsReport Build()
    {
        IReadOnlyList<ReportInterval> intervals = _grid.Intervals;
        var whole = new ReportInterval(-1, _grid.From, _grid.To);
        var queueRows = new List<QueueIntervalStats>(_queues.Count * intervals.Count);
        var queueTotals = new List<QueueIntervalStats>(_queues.Count);
        foreach (QueueAccumulator queue in _queues.Values.OrderBy(q => q.Name, StringComparer.Ordinal))
        {
            var total = default(QueueCounters);
            for (var i = 0; i < intervals.Count; i++)
            {
                queueRows.Add(QueueIntervalStats.Create(queue.Name, intervals[i], queue.Thresholds, in queue.Intervals[i]));
                total.Add(in queue.Intervals[i]);
            }

            queueTotals.Add(QueueIntervalStats.Create(queue.Name, whole, queue.Thresholds, in total));
        }

        var agentRows = new List<AgentIntervalStats>(_agents.Count * intervals.Count);
        var agentTotals = new List<AgentIntervalStats>(_agents.Count);
        foreach (AgentAccumulator agent in _agents.Values.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            var total = default(AgentCounters);
            for (var i = 0; i < intervals.Count; i++)
            {
                agentRows.Add(AgentRow(agent, intervals[i], in agent.Intervals[i], i));
                total.Add(in agent.Intervals[i]);
            }

            agentTotals.Add(AgentRow(agent, whole, in total, -1));
        }

        return new StatisticsReport
        {
            Intervals = intervals,
            Queues = queueRows,
            QueueTotals = queueTotals,
            Agents = agentRows,
            AgentTotals = agentTotals,
            CallsOutsideRange = _callsOutsideRange,
            CallsRejected = _callsRejected,
            SpansRejected = _spansRejected,
        };
    }

    private static IntervalGrid CreateGrid(StatisticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? error = CheckThresholds(options);
        return error is null
            ? IntervalGrid.Create(options.TimeZone, options.Interval, options.From, options.To)
            : throw new ArgumentException(error, nameof(options));
    }

    private static string? CheckThresholds(StatisticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.TimeZone);
        ArgumentNullException.ThrowIfNull(options.DefaultThresholds);
        ArgumentNullException.ThrowIfNull(options.Queues);
        ArgumentNullException.ThrowIfNull(options.Agents);
        foreach ((string name, QueueThresholds t) in options.Queues.Prepend(new(string.Empty, options.DefaultThresholds)))
        {
            if (t is null || t.ServiceLevelSeconds < 0 || t.ShortAbandonSeconds < 0)
            {
                return name.Length == 0
                    ? "the default queue thresholds must be 0 or more seconds"
                    : $"the thresholds of queue '{name}' must be 0 or more seconds";
            }
        }

        return null;
    }

    private static bool NeedsTime(QueueCallOutcome outcome) => outcome is QueueCallOutcome.Answered
        or QueueCallOutcome.Abandoned or QueueCallOutcome.Overflowed or QueueCallOutcome.CallbackRequested;

    /// <summary>One agent row; <paramref name="index"/> -1 sums the pause reasons over the whole range.</summary>
    private static AgentIntervalStats AgentRow(AgentAccumulator agent, ReportInterval interval, in AgentCounters c, int index)
    {
        Dictionary<string, double>? byReason = null; // most rows have no pause: they share an empty one
        foreach (KeyValuePair<string, long[]> reason in agent.PausedByReason)
        {
            long ticks = index >= 0 ? reason.Value[index] : reason.Value.Sum();
            if (ticks > 0)
            {
                byReason ??= new Dictionary<string, double>(agent.PausedByReason.Count, StringComparer.Ordinal);
                byReason.Add(reason.Key, QueueIntervalStats.Seconds(ticks));
            }
        }

        long staffed = c.StaffedTicks;
        return new AgentIntervalStats
        {
            Agent = agent.Name,
            Interval = interval,
            Handled = c.Handled,
            TalkSeconds = QueueIntervalStats.Seconds(c.OnCallTicks),
            WrapUpSeconds = QueueIntervalStats.Seconds(c.WrapUpTicks),
            RingingSeconds = QueueIntervalStats.Seconds(c.RingingTicks),
            AvailableSeconds = QueueIntervalStats.Seconds(c.AvailableTicks),
            PausedSeconds = QueueIntervalStats.Seconds(c.PausedTicks),
            PausedSecondsByReason = byReason ?? NoPause,
            StaffedSeconds = QueueIntervalStats.Seconds(staffed),
            Occupancy = staffed == 0 ? null : (c.OnCallTicks + c.WrapUpTicks) / (double)staffed,
        };
    }

    private QueueAccumulator QueueFor(string name)
    {
        QueueAccumulator? last = _lastQueue;
        if (last is not null && string.Equals(last.Name, name, StringComparison.Ordinal))
        {
            return last;
        }

        if (!_queues.TryGetValue(name, out QueueAccumulator? queue))
        {
            QueueThresholds thresholds = _options.Queues.TryGetValue(name, out QueueThresholds? configured)
                ? configured
                : _options.DefaultThresholds;
            queue = new QueueAccumulator(name, thresholds, _grid.Count);
            _queues.Add(name, queue);
        }

        _lastQueue = queue;
        return queue;
    }

    private AgentAccumulator AgentFor(string name)
    {
        AgentAccumulator? last = _lastAgent;
        if (last is not null && string.Equals(last.Name, name, StringComparison.Ordinal))
        {
            return last;
        }

        if (!_agents.TryGetValue(name, out AgentAccumulator? agent))
        {
            agent = new AgentAccumulator(name, _grid.Count);
            _agents.Add(name, agent);
        }

        _lastAgent = agent;
        return agent;
    }
}
