using System.Diagnostics.CodeAnalysis;
using Telephony.Host.Ivr;
using Telephony.Pbx.Queues.Configuration;
using Telephony.Recording.Statistics;
using Telephony.Recording.Storage;

namespace Telephony.Host.Statistics;

/// <summary>
/// Queue and agent statistics from the database (queue visits and the agent state history: correct across restarts,
/// never from in-memory counters), per interval of the business time zone, with each queue's thresholds from
/// <c>config/queues.yaml</c>; the real-time view; the measured volume and AHT behind staffing advice. Definitions:
/// docs/metrics.md.
/// </summary>
public sealed class StatisticsService(Database database, StatisticsSettings settings, TimeProvider time, CallCenter? callCenter = null)
{
    private readonly StatisticsStore _store = new(database);
    private readonly AgentStateStore _agents = new(database);
    private volatile QueuesConfig? _thresholdsSyncedFor;

    /// <summary>The business time zone.</summary>
    public TimeZoneInfo Zone => settings.Zone;

    /// <summary>The current time of the service's clock.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The queues configuration in force (null without queues).</summary>
    public QueuesConfig? QueuesConfig => callCenter?.Queues?.Config;

    /// <summary>Per queue × interval and whole-range totals (no agent rows: see <see cref="AgentReportAsync"/>); null with the reason
    /// when the range cannot be reported (too many intervals).</summary>
    public async Task<(StatisticsReport? Report, string? Error)> QueueReportAsync(StatisticsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!TryCreate(query, out StatisticsAccumulator? accumulator, out string? error))
        {
            return (null, error);
        }

        await SyncThresholdsAsync(cancellationToken).ConfigureAwait(false);
        // The queue endpoints show queues only: the agents' handled comes with the agent report.
        await _store.ReadQueueVisitsAsync(accumulator, query.From, query.To, query.Queue, withAgents: false, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return (accumulator.Build(), null);
    }

    /// <summary>Hands the thresholds of queues.yaml to the rollup once per configuration (start-up, each reload), so
    /// that the rollup counts with the thresholds reports use (a report is exact either way; in step, it is fast).</summary>
    private async Task SyncThresholdsAsync(CancellationToken cancellationToken)
    {
        QueuesConfig? config = QueuesConfig;
        if (config is null || ReferenceEquals(config, _thresholdsSyncedFor))
        {
            return;
        }

        var thresholds = new Dictionary<string, QueueThresholds>(StringComparer.Ordinal);
        foreach (QueueConfig q in config.Queues)
        {
            thresholds[q.Name] = new QueueThresholds(q.ServiceLevelSeconds, q.ShortAbandonSeconds);
        }

        await _store.SetThresholdsAsync(thresholds, cancellationToken).ConfigureAwait(false);
        _thresholdsSyncedFor = config;
    }

    /// <summary>Per agent × interval and whole-range totals.</summary>
    public async Task<(StatisticsReport? Report, string? Error)> AgentReportAsync(StatisticsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!TryCreate(query with { Queue = null }, out StatisticsAccumulator? accumulator, out string? error))
        {
            return (null, error);
        }

        await _store.ReadQueueVisitsAsync(accumulator, query.From, query.To, answeredOnly: true, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        await _store.ReadAgentTimeAsync(accumulator, query.From, query.To, Now, query.Agent, cancellationToken).ConfigureAwait(false);
        StatisticsReport report = accumulator.Build();
        if (query.Agent is { } agent)
        {
            report = report with
            {
                Agents = report.Agents.Where(a => a.Agent == agent).ToList(),
                AgentTotals = report.AgentTotals.Where(a => a.Agent == agent).ToList(),
            };
        }

        return (report with { Queues = [], QueueTotals = [] }, null);
    }

    /// <summary>Now: callers waiting and the longest current wait per queue, every agent's state, and today's (business
    /// day) queue figures so far.</summary>
    public async Task<RealtimeStatistics> RealtimeAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = Now;
        (DateTimeOffset dayFrom, DateTimeOffset dayTo) = IntervalGrid.DayContaining(Zone, now);
        var (today, _) = await QueueReportAsync(new StatisticsQuery(dayFrom, dayTo, IntervalLength.Day), cancellationToken).ConfigureAwait(false);
        IReadOnlyList<WaitingVisit> waiting = await _store.WaitingAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<AgentCurrentState> agents = await _agents.CurrentAsync(cancellationToken).ConfigureAwait(false);
        return new RealtimeStatistics(now, dayFrom, dayTo, today?.QueueTotals ?? [], waiting, agents, QueuesConfig);
    }

    private bool TryCreate(StatisticsQuery query, [NotNullWhen(true)] out StatisticsAccumulator? accumulator, [NotNullWhen(false)] out string? error)
    {
        QueuesConfig? config = QueuesConfig;
        var thresholds = new Dictionary<string, QueueThresholds>(StringComparer.Ordinal);
        foreach (QueueConfig q in config?.Queues ?? [])
        {
            if (query.Queue is null || q.Name == query.Queue)
            {
                thresholds[q.Name] = new QueueThresholds(q.ServiceLevelSeconds, q.ShortAbandonSeconds);
            }
        }

        var options = new StatisticsOptions
        {
            TimeZone = Zone,
            Interval = query.Interval,
            From = query.From,
            To = query.To,
            Now = Now,
            Queues = thresholds,
            Agents = query.Agent is { } one ? [one] : config?.Agents().ToList() ?? [],
        };
        return StatisticsAccumulator.TryCreate(options, out accumulator, out error);
    }
}
