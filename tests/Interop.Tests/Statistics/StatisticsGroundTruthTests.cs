using System.Text.Json;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Interop.Tests.Statistics;

/// <summary>
/// Ground truth over real SIP on the real server: three SIPp callers from the trunk press 2 for support while baresip
/// 1001 (auto-answer) is the only agent logged in. A is answered at once and talks 12 s (then 1001 has its 10 s
/// wrap-up); B hangs up 2 s into the queue (a short abandon), C 8 s in (an abandon), both while 1001 is busy. The
/// script fixes the figures: <c>/api/stats/queues</c> for today gives support offered 3, answered 1, abandoned 2, short
/// 1, within threshold 1, SL and abandon rate ½, nothing in the other queues; <c>/api/stats/agents</c> 1001 handled 1
/// with the 10 s wrap-up; <c>/api/stats/realtime</c> the same counts; the CSV the same row. Counts exactly; the times
/// the script sets through SIPp (waits, talk) within 1.5 s (SIPp's pauses run from its own sends, the IVR before the
/// queue takes its prompt time), the wrap-up within 0.3 s (the server's own timer). The in-process
/// <c>GroundTruthDayTests</c> checks a whole day to 0.2 s on a fake clock.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class StatisticsGroundTruthTests(ITestOutputHelper output)
{
    private static readonly HttpClient Supervisor = AuthenticatedHttp.Create(TimeSpan.FromSeconds(20), "2001");
    private readonly PortBlock ports = PortAllocator.For<StatisticsGroundTruthTests>();

    [Fact]
    public async Task Three_callers_one_agent_the_stats_api_gives_the_scripted_figures()
    {
        // Wrap-up 4 s instead of the sample's 10 s: the test waits for 1001 to be Available again (figures unchanged: B
        // and C leave the queue while 1001 still talks to A).
        const double wrapUpSeconds = 4;
        string config = IvrCalls.ConfigCopy("stats-truth-config", queues => queues.Contains("  wrapUpSeconds: 10 ", StringComparison.Ordinal)
            ? queues.Replace("  wrapUpSeconds: 10 ", "  wrapUpSeconds: 4  ", StringComparison.Ordinal)
            : throw new InvalidOperationException("config/queues.yaml: 'wrapUpSeconds: 10' moved"));
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output, configDirectory: config);
        string dir = RepoPaths.NewTempDirectory("stats-truth");
        await using BaresipPeer agent = await BaresipPeer.StartAsync(new BaresipOptions
        {
            Name = "1001", SipPort = ports.PeerSip(3), ControlPort = ports.PeerSip(3) + 2, RtpPortMin = ports.PeerMedia(3),
            Account = BaresipPeer.AccountLine("1001", server.SipHostPort, "pass1001", autoAnswer: true),
            AudioSourceWav = TestAudio.Tone(1000, 40, Path.Combine(dir, "agent.wav")), QuitAfter = TimeSpan.FromSeconds(90),
        }, output);
        await agent.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(5));

        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");
        const double talkSeconds = 12, shortWait = 2, longWait = 8;
        int line = server.Log.Count;
        Task<SippResult> a = Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), ports.PeerMedia(0), "+15550000201", keys,
            keys.DurationSeconds + 0.5, quiet, talkSeconds));
        await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(20));
        // B and C enter the queue while 1001 talks to A, and give up there.
        Task<SippResult> b = Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(1), ports.PeerMedia(1), "+15550000202", keys,
            keys.DurationSeconds + 0.2, quiet, shortWait - 0.2));
        Task<SippResult> c = Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(2), ports.PeerMedia(2), "+15550000203", keys,
            keys.DurationSeconds + 0.2, quiet, longWait - 0.2));
        SippResult[] calls = await Task.WhenAll(a, b, c);
        await server.WaitForLogAsync("Agent 1001: WrapUp -> Available", TimeSpan.FromSeconds(20), line);
        string context = string.Join("\n", calls.Select(r => r.Describe())) + "\n" + server.Describe(120);
        Assert.True(calls.All(r => r.Succeeded), context);

        using JsonDocument queues = JsonDocument.Parse(await Supervisor.GetStringAsync(new Uri(server.HttpBase, "api/stats/queues?interval=day")));
        output.WriteLine(queues.RootElement.GetProperty("totals").ToString());
        JsonElement support = queues.RootElement.GetProperty("totals").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == "support");
        Assert.Equal(
            (3, 1, 2, 1, 0, 1, 0, 0, 2, 1),
            (Int(support, "offered"), Int(support, "answered"), Int(support, "abandoned"), Int(support, "shortAbandoned"),
                Int(support, "overflowed"), Int(support, "answeredWithinThreshold"), Int(support, "waiting"),
                Int(support, "callbacksRequested"), Int(support, "abandonedWithinThreshold"), Int(support, "handledCount")));
        Assert.Equal(0.5, support.GetProperty("serviceLevel").GetDouble(), 6); // 1 within ÷ (3 offered − 1 short)
        Assert.Equal(0.5, support.GetProperty("abandonRate").GetDouble(), 6);  // (2 − 1 short) ÷ (3 − 1)
        Assert.InRange(support.GetProperty("asaSeconds").GetDouble(), 0, 1.5);
        Assert.InRange(support.GetProperty("longestWaitSeconds").GetDouble(), longWait - 1.5, longWait + 1.5);
        double aht = support.GetProperty("ahtSeconds").GetDouble();
        Assert.InRange(aht, talkSeconds + wrapUpSeconds - 1.5, talkSeconds + wrapUpSeconds + 1.5);
        Assert.All(queues.RootElement.GetProperty("totals").EnumerateArray().Where(q => q.GetProperty("queue").GetString() != "support"),
            q => Assert.Equal(0, Int(q, "offered")));

        using JsonDocument agents = JsonDocument.Parse(await Supervisor.GetStringAsync(new Uri(server.HttpBase, "api/stats/agents?interval=day&agent=1001")));
        JsonElement mine = agents.RootElement.GetProperty("totals").EnumerateArray().Single();
        output.WriteLine(mine.ToString());
        Assert.Equal(1, Int(mine, "handled"));
        Assert.InRange(mine.GetProperty("wrapUpSeconds").GetDouble(), wrapUpSeconds - 0.3, wrapUpSeconds + 0.3);
        Assert.InRange(mine.GetProperty("talkSeconds").GetDouble(), talkSeconds - 1.5, talkSeconds + 1.5);
        Assert.Equal(aht, mine.GetProperty("talkSeconds").GetDouble() + mine.GetProperty("wrapUpSeconds").GetDouble(), 1);

        using JsonDocument realtime = JsonDocument.Parse(await Supervisor.GetStringAsync(new Uri(server.HttpBase, "api/stats/realtime")));
        JsonElement now = realtime.RootElement.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == "support");
        Assert.Equal((3, 1, 2, 1, 0), (Int(now, "offeredToday"), Int(now, "answeredToday"), Int(now, "abandonedToday"),
            Int(now, "shortAbandonedToday"), Int(now, "waiting")));

        string csv = await Supervisor.GetStringAsync(new Uri(server.HttpBase, "api/stats/queues?interval=day&queue=support&format=csv"));
        string total = csv.Split("\r\n").Single(l => l.StartsWith("total,support,", StringComparison.Ordinal));
        Assert.Equal(["total", "support"], total.Split(',')[..2]);
        Assert.Equal("3,1,2,1,0,1", string.Join(',', total.Split(',')[4..10]));
    }

    private static int Int(JsonElement row, string field) => row.GetProperty(field).GetInt32();
}
