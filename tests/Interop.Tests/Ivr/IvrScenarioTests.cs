using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telephony.Interop.Tests.Engine;

namespace Telephony.Interop.Tests.Ivr;

/// <summary>
/// IVR and queue scenarios with SIPp trunk callers: the interaction data in the agent's INVITE headers (a raw SIP UA
/// registered as agent 1002), the after-hours message, position announcement then overflow after max wait, an
/// abandoned caller, and a bad tree refused with a line-numbered error while calls keep working on the old one.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed partial class IvrScenarioTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = AuthenticatedHttp.Create(TimeSpan.FromSeconds(5));
    private readonly PortBlock ports = PortAllocator.For<IvrScenarioTests>();

    [Fact]
    public async Task VipCallerPresses2_AgentInviteCarriesInteractionHeaders()
    {
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output);
        using var agent = new RawSipClient(server.SipEndPoint, ports.PeerSip(1));
        List<string> registered = await agent.RegisterAsync("1002", Engine.Engine.Password("1002"), 600);
        Assert.Equal(200, SipText.StatusCode(registered[^1]));
        await server.WaitForLogAsync("Agent 1002: LoggedOut -> Available", TimeSpan.FromSeconds(5));

        string dir = RepoPaths.NewTempDirectory("ivr-headers");
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");
        await using SippProcess caller = SippProcess.Start(IvrCalls.Caller(server, ports.PeerSip(0), ports.PeerMedia(0), "+15550000001",
            keys, keys.DurationSeconds + 3, quiet, 1));

        string? invite = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (invite is null && DateTime.UtcNow < deadline)
        {
            string? message = await agent.ReceiveAsync(TimeSpan.FromSeconds(1));
            if (message is not null && message.StartsWith("INVITE ", StringComparison.Ordinal))
            {
                invite = message;
            }
        }
        SippResult call = await caller.WaitAsync();
        string context = $"{invite}\n{call.Describe()}\n{server.Describe(100)}";
        output.WriteLine(context);
        Assert.NotNull(invite);
        Assert.Matches("^[0-9a-f]{32}$", SipText.Header(invite!, "X-Telephony-Interaction") ?? "");
        Assert.Equal("support", SipText.Header(invite!, "X-Telephony-Queue"));
        Assert.Equal("50", SipText.Header(invite!, "X-Telephony-Priority"));
        Assert.Equal("vip", SipText.Header(invite!, "X-Telephony-Tags"));
        Assert.Equal("support", SipText.Header(invite!, "X-Telephony-Var-queue"));
        Assert.Contains("+15550000001", SipText.Header(invite!, "From") ?? "");
    }

    [Fact]
    public async Task AfterHours_CallerHearsTheClosedMessage_ThenBye()
    {
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output, IvrCalls.ClosedClock,
            IvrCalls.QuickAfterHoursConfig("ivr-closed"));
        await ExpectClosedMessageAsync(server, 0);
    }

    [Fact]
    public async Task NoAgent_PositionAnnounced_ThenOverflowAfterMaxWait_AndAnAbandonedCallerIsCounted()
    {
        string config = IvrCalls.ConfigCopy("ivr-overflow", yaml => yaml
            .Replace("  maxWaitSeconds: 300 ", "  maxWaitSeconds: 9 ", StringComparison.Ordinal)
            .Replace("  announceIntervalSeconds: 30 ", "  announceIntervalSeconds: 3 ", StringComparison.Ordinal)
            .Replace("  overflow: { queue: operator }", "  overflow: { hangup: en/ivr/all-busy }", StringComparison.Ordinal),
            // Without the node's own max_wait (which would replace the queue's 9 s); its overflow path still applies.
            ivr => ivr.Replace("        queue: support\n        max_wait: 5m\n", "        queue: support\n", StringComparison.Ordinal));
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output, configDirectory: config);
        string dir = RepoPaths.NewTempDirectory("ivr-overflow");
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);

        // Caller A waits until the overflow; caller B hangs up after ~3 s in the queue (abandoned).
        await using SippProcess waiting = SippProcess.Start(IvrCalls.Caller(server, ports.PeerSip(0), media, "+15550000002",
            keys, keys.DurationSeconds + 1, quiet, 30));
        SippResult abandoning = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(1), ports.PeerMedia(1), "+15550000003",
            keys, keys.DurationSeconds + 3, quiet, 0.5));
        SippResult call = await waiting.WaitAsync();
        await sink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        using JsonDocument queues = JsonDocument.Parse(await Http.GetStringAsync(new Uri(server.HttpBase, "api/queues")));
        string context = $"{sink.Describe()}\n{call.Describe()}\n{abandoning.Describe()}\n{server.Describe(150)}";
        output.WriteLine(context);

        Assert.True(call.Succeeded && call.ReceivedRequests.Contains("BYE"), "waiting caller should get BYE after overflow\n" + context);
        Assert.True(abandoning.Succeeded, "abandoning caller failed\n" + context);
        Assert.True(server.Log.Contains("is caller number 1"), "no position announcement\n" + context);
        Assert.True(server.Log.Contains("overflowed after"), "no overflow\n" + context);
        Assert.True(server.Log.Contains("call abandoned"), "abandon not logged\n" + context);
        Assert.Equal(1, queues.RootElement.GetProperty("abandoned").GetInt64());
        Assert.True(queues.RootElement.GetProperty("overflowed").GetInt64() >= 1, context);

        short[] announcement = WavFile.Read(RepoPaths.Sound("queue/you-are-caller-number")).Mono();
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(announcement, sink.Audio, maxLagSeconds: 30);
        Assert.True(corr >= 0.6, $"caller should hear 'you are caller number': {corr:0.00} at {lag:0.00} s\n{context}");
        short[] allBusy = WavFile.Read(RepoPaths.Sound("ivr/all-busy")).Mono();
        (double busyCorr, double busyLag) = AudioAnalysis.EnvelopeCorrelation(allBusy, sink.Audio, maxLagSeconds: 40);
        Assert.True(busyCorr >= 0.6, $"caller should hear the all-busy message: {busyCorr:0.00} at {busyLag:0.00} s\n{context}");
    }

    [Fact]
    public async Task BadTreeWrittenOverIvrFile_IsRefusedWithLineNumber_NewCallsUseTheOldTree()
    {
        string config = IvrCalls.QuickAfterHoursConfig("ivr-badtree");
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output, IvrCalls.ClosedClock, config);
        string ivr = Path.Combine(config, "ivr.yaml");
        int before = server.Log.Count;
        File.WriteAllText(ivr, File.ReadAllText(ivr).Replace("next: office-hours", "next: office-hourz", StringComparison.Ordinal));
        string refused = await server.WaitForLogAsync("refused", TimeSpan.FromSeconds(10), before);
        await Task.Delay(300);
        string errors = string.Join("\n", server.Log.Snapshot().Skip(before));
        output.WriteLine(errors);
        Assert.Contains("keeping version 1", refused);
        Assert.Matches(LineNumbered(), errors);
        Assert.Contains("office-hourz", errors);

        await ExpectClosedMessageAsync(server, 0);
    }

    private async Task ExpectClosedMessageAsync(ServerProcess server, int peer)
    {
        short[] welcome = WavFile.Read(RepoPaths.Sound("ivr/welcome")).Mono();
        short[] closed = WavFile.Read(RepoPaths.Sound("ivr/closed")).Mono();
        double expected = (welcome.Length + closed.Length) / 8000.0;
        int media = ports.PeerMedia(peer);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        SippResult call = await Sipp.RunAsync(Engine.Engine.FromTrunk(server, "uac-prompt", Engine.Engine.Did, ports.PeerSip(peer), media) with
        {
            Variables = new Dictionary<string, string> { ["from"] = "+15550000002" },
            // Then the after-hours voicemail: its greeting, the beep, 1 s of silence (nothing said; QuickAfterHoursConfig),
            // "no message", BYE.
            RecvTimeout = TimeSpan.FromSeconds(expected + 30),
            Timeout = TimeSpan.FromSeconds(expected + 40),
        });
        await sink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        string context = $"{sink.Describe()}\nexpected {expected:0.00} s\n{call.Describe()}\n{server.Describe(80)}";
        output.WriteLine(context);
        Assert.True(call.Succeeded, "expected 200, prompts, then BYE\n" + context);
        Assert.Contains("BYE", call.ReceivedRequests);
        double offer = WavFile.Read(RepoPaths.Sound("voicemail/after-hours")).Mono().Length / 8000.0;
        Assert.True(sink.AudioSeconds >= expected + offer - 1.0, $"received {sink.AudioSeconds:0.00} s of audio\n{context}");
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(closed, sink.Audio, maxLagSeconds: welcome.Length / 8000.0 + 2);
        Assert.True(corr >= 0.7, $"closed message not heard: {corr:0.00} at {lag:0.00} s\n{context}");
    }

    [GeneratedRegex(@"ivr\.yaml:\d+:\d+: ")]
    private static partial Regex LineNumbered();
}
