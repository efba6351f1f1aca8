using System.Globalization;
using System.Text.Json;
using Telephony.Host.Api;
using Telephony.Tests.Shared.Statistics;

namespace Telephony.Calls.Tests.Statistics;

/// <summary>
/// Ground truth, in process: <see cref="SyntheticDay"/> is placed on the real PBX and the Host's call center over SIP
/// (trunk callers through the IVR into support and sales, scripted agent phones), on the fake clock, with the Host's
/// <c>CallRecorder</c> writing to SQLite (<see cref="DayDriver"/>). The generator keeps its own record
/// (<see cref="GroundTruth"/>); every field of <c>/api/stats/queues</c> and <c>/api/stats/agents</c> (15 m, 60 m and day
/// intervals, a range off the quarter hours, whole-range totals) and of <c>/api/stats/realtime</c> (read at scripted
/// instants during the day and at its end) must match it: counts exactly, times within 1 % or 0.2 s, whichever is
/// larger, ratios within 0.01.
/// </summary>
public sealed class GroundTruthDayTests
{
    [Fact]
    public async Task A_synthetic_day_over_SIP_matches_the_stats_api_field_by_field()
    {
        await using var s = await StatisticsPbx.StartAsync();
        var truth = new GroundTruth();
        var driver = new DayDriver(s, truth);
        await driver.RunAsync();
        await DumpAsync(s, truth);
        Assert.Equal(SyntheticDay.Calls.Count, truth.Visits.Count);

        DateTimeOffset start = driver.DayStart, end = start.AddMinutes(SyntheticDay.DayMinutes + 10);
        var checkedFields = 0;
        foreach (var (from, to, interval) in new[]
        {
            (start, end, "60m"),
            (start, end, "15m"),
            (start, end, "day"),
            (start.AddMinutes(7), end.AddMinutes(-8), "15m"), // off the quarter hours: the ragged ends are read raw
        })
        {
            string range = $"?from={Uri.EscapeDataString(from.ToString("o", CultureInfo.InvariantCulture))}" +
                $"&to={Uri.EscapeDataString(to.ToString("o", CultureInfo.InvariantCulture))}&interval={interval}";
            checkedFields += await CheckQueuesAsync(s, truth, range, interval);
            checkedFields += await CheckAgentsAsync(s, truth, range, interval);
        }

        Assert.True(checkedFields > 5000, $"only {checkedFields} fields checked");

        var (status, realtime, _) = await s.GetAsync(StatisticsApi.RealtimeAsync, "");
        Assert.Equal(200, status);
        Assert.Equal(SyntheticDay.RealtimeChecks.Count + 1, driver.Realtime.Count);
        foreach (var (at, json) in driver.Realtime.Append((s.Stats.Now, realtime)))
        {
            CheckRealtime(truth, start, at, json);
        }

        var overflow = driver.Realtime.Single(r => r.At > start.AddMinutes(141) && r.At < start.AddMinutes(142)).Json;
        var support = overflow.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == "support");
        Assert.Equal(1, support.GetProperty("waiting").GetInt32());
        Close(100, support.GetProperty("longestWaitSeconds").GetDouble(), "realtime longest wait 100 s into the overflow call");
    }

    private static async Task<int> CheckQueuesAsync(StatisticsPbx s, GroundTruth truth, string range, string interval)
    {
        var (status, queues, text) = await s.GetAsync(StatisticsApi.QueuesAsync, range);
        Assert.True(status == 200, text);
        var checkedFields = 0;
        foreach (JsonElement row in queues.GetProperty("rows").EnumerateArray().Concat(queues.GetProperty("totals").EnumerateArray()))
        {
            string queue = row.GetProperty("queue").GetString()!;
            if (queue is not ("support" or "sales"))
            {
                Assert.Equal(0, row.GetProperty("offered").GetInt32());
                continue;
            }

            var (from, to) = Interval(row);
            checkedFields += Compare(truth.Queue(queue, from, to), row, $"{interval} {queue} {from:HH:mm}");
        }

        return checkedFields;
    }

    private static async Task<int> CheckAgentsAsync(StatisticsPbx s, GroundTruth truth, string range, string interval)
    {
        var (status, agents, text) = await s.GetAsync(StatisticsApi.AgentsAsync, range);
        Assert.True(status == 200, text);
        DateTimeOffset now = s.Stats.Now;
        var checkedFields = 0;
        foreach (JsonElement row in agents.GetProperty("rows").EnumerateArray().Concat(agents.GetProperty("totals").EnumerateArray()))
        {
            string agent = row.GetProperty("agent").GetString()!;
            var (from, to) = Interval(row);
            string where = $"{interval} {agent} {from:HH:mm}";
            if (!SyntheticDay.Agents.ContainsKey(agent))
            {
                Assert.Equal(0, row.GetProperty("staffedSeconds").GetDouble());
                continue;
            }

            var expected = truth.AgentRow(agent, from, to, now, from, to);
            var actual = row.GetProperty("pausedSecondsByReason");
            foreach (var reason in actual.EnumerateObject())
            {
                Assert.True(expected.ContainsKey("paused:" + reason.Name), $"{where}: unexpected pause reason {reason.Name}");
            }

            foreach (var (key, value) in expected.Where(p => p.Key.StartsWith("paused:", StringComparison.Ordinal)))
            {
                Close(value!.Value, actual.GetProperty(key["paused:".Length..]).GetDouble(), $"{where} {key}");
                checkedFields++;
            }

            checkedFields += Compare(expected.Where(p => !p.Key.StartsWith("paused:", StringComparison.Ordinal))
                .ToDictionary(p => p.Key, p => p.Value), row, where);
        }

        return checkedFields;
    }

    /// <summary>Every field of a realtime answer read at <paramref name="at"/>: the queue rows of support and sales,
    /// the three agents' state, reason, since and queues, the day's bounds.</summary>
    private static void CheckRealtime(GroundTruth truth, DateTimeOffset dayStart, DateTimeOffset at, JsonElement json)
    {
        string when = $"realtime at {at:HH:mm:ss}";
        Close(0, (DateTimeOffset.Parse(json.GetProperty("now").GetString()!, CultureInfo.InvariantCulture) - at).TotalSeconds, when + " now");
        Assert.Equal("Europe/Berlin", json.GetProperty("timeZone").GetString());
        var dayFrom = DateTimeOffset.Parse(json.GetProperty("today").GetProperty("from").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.FromHours(1)), dayFrom);
        Assert.True(dayStart > dayFrom, when);
        foreach (string queue in new[] { "support", "sales" })
        {
            var row = json.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == queue);
            var members = SyntheticDay.Agents.Where(a => a.Value == queue).Select(a => a.Key).ToList();
            Compare(truth.Realtime(queue, members, dayFrom, at), row, $"{when} {queue}");
        }

        foreach (var (agent, queue) in SyntheticDay.Agents)
        {
            var row = json.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("agent").GetString() == agent);
            var (state, reason, since) = truth.StateAt(agent, at);
            Assert.Equal(state, row.GetProperty("state").GetString());
            Assert.Equal(reason, row.GetProperty("reason").GetString());
            Close(0, (DateTimeOffset.Parse(row.GetProperty("since").GetString()!, CultureInfo.InvariantCulture) - since!.Value).TotalSeconds,
                $"{when} {agent} since");
            Assert.Contains(queue, row.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        }
    }

    /// <summary>With <c>TELEPHONY_DAY_PROGRESS</c> set: the generator's and the server's agent histories, side by side.</summary>
    private static async Task DumpAsync(StatisticsPbx s, GroundTruth truth)
    {
        if (Environment.GetEnvironmentVariable("TELEPHONY_DAY_PROGRESS") is not { } log)
        {
            return;
        }

        await s.DrainAsync();
        await using var connection = await s.Database.OpenAsync();
        var server = await Dapper.SqlMapper.QueryAsync<(string Agent, string State, string? Reason, long At)>(connection,
            "SELECT agent, state, reason, occurred_at FROM agent_states ORDER BY agent, occurred_at, id;");
        await File.AppendAllLinesAsync(log, truth.Changes.OrderBy(c => c.Agent).ThenBy(c => c.At)
            .Select(c => $"truth {c.Agent} {c.At:HH:mm:ss.fff} {c.State} {c.Reason}")
            .Concat(server.Select(r => $"server {r.Agent} {DateTimeOffset.FromUnixTimeMilliseconds(r.At):HH:mm:ss.fff} {r.State} {r.Reason}")));
    }

    private static (DateTimeOffset From, DateTimeOffset To) Interval(JsonElement row) =>
        (DateTimeOffset.Parse(row.GetProperty("intervalStart").GetString()!, CultureInfo.InvariantCulture),
         DateTimeOffset.Parse(row.GetProperty("intervalEnd").GetString()!, CultureInfo.InvariantCulture));

    private static int Compare(Dictionary<string, double?> expected, JsonElement row, string where) =>
        StatsRowAssert.Compare(expected, row, where, StatsTolerance.Default);

    /// <summary>Times: within 1 % or 0.2 s, whichever is larger (<see cref="StatsTolerance.Default"/>).</summary>
    private static void Close(double expected, double actual, string what) =>
        StatsRowAssert.Close(expected, actual, what, StatsTolerance.Default);
}
