using Telephony.Pbx.Contracts;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// Provisional figures of the day for the wallboard, from the call records (one visit per call, its last queue), until
/// the statistics API (<c>/api/stats/queues</c>, docs/metrics.md) is available: per queue and per 15-minute interval,
/// offered, answered, abandoned, waiting, service level (<c>answered within the threshold ÷ (offered − waiting)</c>),
/// abandon rate (<c>abandoned ÷ (offered − waiting)</c>), ASA and the longest wait. Ratios over nothing are null.
/// </summary>
public static class TodayFigures
{
    /// <summary>Interval length of the day's series.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    /// <summary>The figures of <paramref name="calls"/> (queue calls started since <paramref name="from"/>).</summary>
    public static object Compute(IReadOnlyList<CallRecord> calls, DateTimeOffset from, DateTimeOffset now, TimeSpan threshold, double target)
    {
        ArgumentNullException.ThrowIfNull(calls);
        int count = Math.Max(1, (int)Math.Ceiling((now - from) / Interval));
        var intervals = Enumerable.Range(0, count).Select(i =>
        {
            var start = from + (Interval * i);
            return new { start, figures = Figures(calls.Where(c => c.StartedAt >= start && c.StartedAt < start + Interval), threshold) };
        }).Select(x => Merge(new { start = x.start }, x.figures)).ToList();
        var queues = calls.GroupBy(c => c.Queue!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Merge(new { queue = g.Key }, Figures(g, threshold))).ToList();
        return new
        {
            provisional = true,
            source = "call records (until /api/stats/queues is available)",
            from,
            to = now,
            intervalMinutes = (int)Interval.TotalMinutes,
            serviceLevelSeconds = (int)threshold.TotalSeconds,
            serviceLevelTarget = target,
            total = Figures(calls, threshold),
            queues,
            intervals,
        };
    }

    private static Dictionary<string, object?> Figures(IEnumerable<CallRecord> calls, TimeSpan threshold)
    {
        int offered = 0, answered = 0, abandoned = 0, waiting = 0, within = 0;
        double answeredWait = 0, longest = 0;
        foreach (var c in calls)
        {
            offered++;
            double wait = (c.Wait ?? TimeSpan.Zero).TotalSeconds;
            if (c.Agent is not null || c.Outcome == CallOutcome.Answered)
            {
                answered++;
                answeredWait += wait;
                within += wait <= threshold.TotalSeconds ? 1 : 0;
            }
            else if (c.EndedAt is null)
            {
                waiting++;
            }
            else if (c.Outcome is CallOutcome.Abandoned or CallOutcome.AbandonedInQueue)
            {
                abandoned++;
            }
            longest = Math.Max(longest, wait);
        }
        int done = offered - waiting;
        return new Dictionary<string, object?>
        {
            ["offered"] = offered,
            ["answered"] = answered,
            ["abandoned"] = abandoned,
            ["waiting"] = waiting,
            ["serviceLevel"] = done > 0 ? (double)within / done : null,
            ["abandonRate"] = done > 0 ? (double)abandoned / done : null,
            ["asaSeconds"] = answered > 0 ? answeredWait / answered : null,
            ["longestWaitSeconds"] = longest,
        };
    }

    private static Dictionary<string, object?> Merge(object head, Dictionary<string, object?> figures)
    {
        var result = head.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(head), StringComparer.Ordinal);
        foreach (var (key, value) in figures)
        {
            result[key] = value;
        }
        return result;
    }
}
