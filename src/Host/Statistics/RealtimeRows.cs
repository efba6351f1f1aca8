using Telephony.Pbx.Queues.Configuration;
using Telephony.Recording.Statistics;
using Telephony.Recording.Storage;

namespace Telephony.Host.Statistics;

/// <summary>The rows of <c>GET /api/stats/realtime</c>: one per queue (waiting, longest current wait, its members by
/// state, today so far) and one per agent (state, reason, since).</summary>
public static class RealtimeRows
{
    private static readonly AgentActivity[] States = Enum.GetValues<AgentActivity>();

    /// <summary>One row per configured queue (and per queue with callers or figures today), by name.</summary>
    public static List<OrderedDictionary<string, object?>> Queues(RealtimeStatistics now)
    {
        ArgumentNullException.ThrowIfNull(now);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        names.UnionWith(now.Config?.Queues.Select(q => q.Name) ?? []);
        names.UnionWith(now.Waiting.Select(w => w.Queue));
        names.UnionWith(now.Today.Select(t => t.Queue));
        var agents = now.Agents.ToDictionary(a => a.Agent, StringComparer.Ordinal);
        var rows = new List<OrderedDictionary<string, object?>>();
        foreach (string name in names)
        {
            var waiting = now.Waiting.Where(w => w.Queue == name).ToList();
            QueueIntervalStats? today = now.Today.FirstOrDefault(t => t.Queue == name);
            var row = new OrderedDictionary<string, object?>
            {
                ["queue"] = name,
                ["waiting"] = waiting.Count,
                ["longestWaitSeconds"] = waiting.Count == 0 ? 0 : Math.Max(0, (now.Now - waiting.Min(w => w.EnteredAt)).TotalSeconds),
            };
            IEnumerable<string> members = now.Config?.Find(name)?.Members.Select(m => m.Agent) ?? [];
            foreach (AgentActivity state in States)
            {
                row["agents" + state] = members.Count(m => (agents.TryGetValue(m, out var a) ? a.State : AgentActivity.LoggedOut) == state);
            }

            row["offeredToday"] = today?.Offered ?? 0;
            row["answeredToday"] = today?.Answered ?? 0;
            row["abandonedToday"] = today?.Abandoned ?? 0;
            row["shortAbandonedToday"] = today?.ShortAbandoned ?? 0;
            row["answeredWithinThresholdToday"] = today?.AnsweredWithinThreshold ?? 0;
            row["serviceLevelToday"] = today?.ServiceLevel;
            row["abandonRateToday"] = today?.AbandonRate;
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Every agent of the configuration or the history, with the state it is in now.</summary>
    public static List<OrderedDictionary<string, object?>> Agents(RealtimeStatistics now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(now);
        var known = now.Agents.ToDictionary(a => a.Agent, StringComparer.Ordinal);
        var names = new SortedSet<string>(known.Keys, StringComparer.Ordinal);
        names.UnionWith(now.Config?.Agents() ?? []);
        return names.Select(name =>
        {
            known.TryGetValue(name, out AgentCurrentState? a);
            return new OrderedDictionary<string, object?>
            {
                ["agent"] = name,
                ["state"] = (a?.State ?? AgentActivity.LoggedOut).ToString(),
                ["reason"] = a?.Reason,
                ["since"] = a is null ? null : StatisticsRows.Time(TimeZoneInfo.ConvertTime(a.Since, zone)),
                ["queues"] = now.Config?.Queues.Where(q => q.Members.Any(m => m.Agent == name)).Select(q => q.Name).ToList() ?? [],
            };
        }).ToList();
    }
}
