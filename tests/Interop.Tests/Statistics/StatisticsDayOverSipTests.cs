using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Telephony.Tests.Shared.Statistics;

namespace Telephony.Interop.Tests.Statistics;

/// <summary>
/// Ground truth over real SIP on the real server process (issue 12 item 6): the deterministic generator
/// <see cref="CompressedDay"/> places a day compressed to ~40 s: 14 callers from the trunk (127.0.0.2, raw UDP UAC) at
/// scripted times into two queues (each DID's IVR flow starts with its queue; sales overflows into support after 6 s),
/// three digest-registered agent phones (<see cref="DayAgent"/>, raw UDP UAS) answering after scripted ring times and
/// hanging up after scripted handle times, callers abandoning at scripted moments (short ones under the 2 s
/// shortAbandonSeconds), and agents pausing with reasons through <c>POST /api/agents/{ext}/pause</c>. The generator
/// writes its own ground truth (<see cref="DayTruth"/>) from what it did and saw, and every field of
/// <c>/api/stats/queues</c> and <c>/api/stats/agents</c> (day and 15 m intervals, rows and totals) must match it:
/// counts exactly, times within 1 % or 0.2 s whichever is larger, ratios within 0.01.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class StatisticsDayOverSipTests(ITestOutputHelper output)
{
    private static readonly HttpClient Admin = AuthenticatedHttp.Create(TimeSpan.FromSeconds(20));

    private readonly PortBlock ports = PortAllocator.For<StatisticsDayOverSipTests>();

    [Fact]
    public async Task A_compressed_day_over_real_SIP_matches_every_field_of_the_stats_api()
    {
        string config = RepoPaths.NewTempDirectory("stats-day-config");
        foreach (string file in Directory.GetFiles(RepoPaths.ConfigDirectory))
        {
            File.Copy(file, Path.Combine(config, Path.GetFileName(file)));
        }
        await File.WriteAllTextAsync(Path.Combine(config, "queues.yaml"), CompressedDay.QueuesYaml);
        await File.WriteAllTextAsync(Path.Combine(config, "ivr.yaml"), CompressedDay.IvrYaml);
        string data = RepoPaths.NewTempDirectory("stats-day-data"); // kept: agent_states and queue_events to compare by hand
        output.WriteLine("server data: " + data);
        await using ServerProcess server = await ServerProcess.StartReadyAsync(ports, output, new Dictionary<string, string?>
        {
            ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = config,
            [$"TELEPHONY_TRUNKS__0__DIDS__{CompressedDay.SupportDid}"] = "1001",
            [$"TELEPHONY_TRUNKS__0__DIDS__{CompressedDay.SalesDid}"] = "1003",
        }, data);

        var truth = new DayTruth(CompressedDay.ServiceLevelSeconds, CompressedDay.ShortAbandonSeconds);
        ConcurrentDictionary<int, DayCallLog> log = DayPhone.NewLog();
        var sinks = new List<System.Net.Sockets.UdpClient>();
        var agents = new List<DayAgent>();
        DayCallers? callers = null;
        try
        {
            int i = 0;
            foreach (string extension in CompressedDay.Agents.Keys)
            {
                var media = new IPEndPoint(IPAddress.Loopback, ports.PeerMedia(i));
                sinks.Add(new System.Net.Sockets.UdpClient(media));
                agents.Add(new DayAgent(extension, new RawSipClient(server.SipEndPoint, ports.PeerSip(i)), truth, log, media));
                i++;
            }
            foreach (DayAgent agent in agents)
            {
                await agent.RegisterAsync(300);
            }
            var callerMedia = new IPEndPoint(IPAddress.Parse("127.0.0.2"), ports.PeerMedia(3));
            sinks.Add(new System.Net.Sockets.UdpClient(callerMedia));
            callers = new DayCallers(new RawSipClient(server.SipEndPoint, ports.PeerSip(3), "127.0.0.2"), log, callerMedia);
            (await Admin.GetAsync(new Uri(server.HttpBase, "api/stats/realtime"))).EnsureSuccessStatusCode(); // log in before the day
            foreach (string warm in new[] { "api/agents/1002/pause?reason=warm-up", "api/agents/1002/resume" })
            {
                (await Admin.PostAsync(new Uri(server.HttpBase, warm), null)).EnsureSuccessStatusCode(); // the pause path, warm
            }

            DateTimeOffset dayStart = DateTimeOffset.UtcNow.AddSeconds(CompressedDay.WarmUpSeconds + 0.5);
            callers.Schedule(dayStart);
            callers.Start();
            agents.ForEach(a => a.Start());
            List<string> pauseErrors = await PauseAsync(server, truth, dayStart);
            await Task.Delay(dayStart.AddSeconds(CompressedDay.EndSeconds) - DateTimeOffset.UtcNow);
            await callers.StopAsync();
            foreach (DayAgent agent in agents)
            {
                await agent.StopAsync();
                await agent.RegisterAsync(0);
            }
            await Task.Delay(500); // the event writer's last batch

            string context = server.Describe(150);
            Assert.True(pauseErrors.Count == 0, string.Join("\n", pauseErrors) + "\n" + context);
            List<string> phoneErrors = [.. callers.Errors, .. agents.SelectMany(a => a.Errors)];
            Assert.True(phoneErrors.Count == 0, "phone errors: " + string.Join("\n", phoneErrors) + "\n" + context);
            truth.Settle();
            BuildVisits(truth, log, context);
            output.WriteLine(string.Join("\n", truth.Visits.Select(v => $"{v.Queue} {v.Entered:HH:mm:ss.fff} {v.Outcome} {v.OutcomeAt:HH:mm:ss.fff} {v.Agent} talk {v.TalkSeconds:F2}")));
            output.WriteLine(string.Join("\n", truth.Changes.OrderBy(c => c.Agent).ThenBy(c => c.At).Select(c => $"{c.Agent} {c.At:HH:mm:ss.fff} {c.State} {c.Reason}")));

            // The day went as scripted where it matters: every kind of outcome happened.
            Assert.Equal(15, truth.Visits.Count);
            Assert.Equal(1, truth.Visits.Count(v => v.Outcome == "Overflowed"));
            Assert.Equal(3, truth.Visits.Count(v => v.Outcome == "Abandoned" && (v.OutcomeAt - v.Entered).TotalSeconds <= CompressedDay.ShortAbandonSeconds));
            Assert.True(truth.Visits.Count(v => v.Outcome == "Answered" && (v.OutcomeAt - v.Entered).TotalSeconds > CompressedDay.ServiceLevelSeconds) >= 2, context);

            // From the day's start (the warm-up is before it) to now (every agent logged out): ragged ends, read raw.
            string range = $"from={Uri.EscapeDataString(dayStart.ToString("o", CultureInfo.InvariantCulture))}" +
                $"&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture))}";
            int checkedFields = 0;
            foreach (string interval in new[] { "day", "15m", "60m" })
            {
                checkedFields += await CheckQueuesAsync(server, truth, $"interval={interval}&{range}");
                checkedFields += await CheckAgentsAsync(server, truth, $"interval={interval}&{range}");
            }
            output.WriteLine($"{checkedFields} fields checked");
            Assert.True(checkedFields > 200, $"only {checkedFields} fields checked");
        }
        finally
        {
            agents.ForEach(a => a.Dispose());
            callers?.Dispose();
            sinks.ForEach(s => s.Dispose());
        }
    }

    /// <summary>The scripted pauses, each at its time through the API, recorded (when the server answered 200) at the
    /// instant the request was sent: on a loaded box the answer can come back half a second after the server applied
    /// the change (a resumed agent was already rung by then), while the change itself follows the request within ms.</summary>
    private static async Task<List<string>> PauseAsync(ServerProcess server, DayTruth truth, DateTimeOffset dayStart)
    {
        var errors = new List<string>();
        foreach (DayPause pause in CompressedDay.Pauses)
        {
            TimeSpan wait = dayStart.AddSeconds(pause.AtSeconds) - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            string path = pause.Reason is null ? $"api/agents/{pause.Agent}/resume" : $"api/agents/{pause.Agent}/pause?reason={pause.Reason}";
            DateTimeOffset sent = DateTimeOffset.UtcNow;
            using HttpResponseMessage response = await Admin.PostAsync(new Uri(server.HttpBase, path), null);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                errors.Add($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                continue;
            }
            truth.Agent(pause.Agent, sent, pause.Reason is null ? "Available" : "Paused", pause.Reason);
        }
        return errors;
    }

    /// <summary>The queue visits from what the callers and agents saw: a sales call still unanswered at its max wait
    /// overflowed then and entered support at that instant.</summary>
    private static void BuildVisits(DayTruth truth, ConcurrentDictionary<int, DayCallLog> log, string context)
    {
        foreach (DayCall call in CompressedDay.Calls)
        {
            Assert.True(log.TryGetValue(call.Index, out DayCallLog? e) && e.Entered is not null, $"call {call.Index} never entered its queue\n{context}");
            string queue = call.Queue;
            DateTimeOffset entered = e!.Entered!.Value;
            DateTimeOffset? outcome = e.AnsweredAt ?? e.AbandonedAt;
            Assert.True(outcome is not null, $"call {call.Index}: neither answered nor abandoned\n{context}");
            if (queue == "sales" && (outcome!.Value - entered).TotalSeconds > CompressedDay.SalesMaxWaitSeconds)
            {
                DateTimeOffset overflowed = entered.AddSeconds(CompressedDay.SalesMaxWaitSeconds);
                truth.Visit(new TruthVisit("sales", entered, "Overflowed", overflowed, null, 0, 0));
                (queue, entered) = ("support", overflowed);
            }
            truth.Visit(e.AnsweredAt is { } answeredAt
                ? new TruthVisit(queue, entered, "Answered", answeredAt, e.Agent, e.TalkSeconds, CompressedDay.WrapUpSeconds)
                : new TruthVisit(queue, entered, "Abandoned", e.AbandonedAt!.Value, null, 0, 0));
        }
    }

    private static async Task<int> CheckQueuesAsync(ServerProcess server, DayTruth truth, string interval)
    {
        using JsonDocument queues = JsonDocument.Parse(await Admin.GetStringAsync(new Uri(server.HttpBase, $"api/stats/queues?{interval}")));
        int checkedFields = 0;
        foreach (JsonElement row in queues.RootElement.GetProperty("rows").EnumerateArray().Concat(queues.RootElement.GetProperty("totals").EnumerateArray()))
        {
            string queue = row.GetProperty("queue").GetString()!;
            Assert.Contains(queue, new[] { "support", "sales" });
            var (from, to) = Interval(row);
            checkedFields += Compare(truth.Queue(queue, from, to), row, $"{interval} {queue} {from:HH:mm}");
        }
        return checkedFields;
    }

    private static async Task<int> CheckAgentsAsync(ServerProcess server, DayTruth truth, string interval)
    {
        using JsonDocument agents = JsonDocument.Parse(await Admin.GetStringAsync(new Uri(server.HttpBase, $"api/stats/agents?{interval}")));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        int checkedFields = 0;
        foreach (JsonElement row in agents.RootElement.GetProperty("rows").EnumerateArray().Concat(agents.RootElement.GetProperty("totals").EnumerateArray()))
        {
            string agent = row.GetProperty("agent").GetString()!;
            var (from, to) = Interval(row);
            string where = $"{interval} {agent} {from:HH:mm}";
            if (!CompressedDay.Agents.ContainsKey(agent))
            {
                Assert.Equal(0, row.GetProperty("staffedSeconds").GetDouble());
                continue;
            }
            var expected = truth.AgentRow(agent, from, to, now, from, to);
            JsonElement byReason = row.GetProperty("pausedSecondsByReason");
            foreach (JsonProperty reason in byReason.EnumerateObject())
            {
                Assert.True(expected.ContainsKey("paused:" + reason.Name), $"{where}: unexpected pause reason {reason.Name}");
            }
            foreach (var (key, value) in expected.Where(p => p.Key.StartsWith("paused:", StringComparison.Ordinal)))
            {
                Close(value!.Value, byReason.GetProperty(key["paused:".Length..]).GetDouble(), $"{where} {key}");
                checkedFields++;
            }
            checkedFields += Compare(expected.Where(p => !p.Key.StartsWith("paused:", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value), row, where);
        }
        return checkedFields;
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
