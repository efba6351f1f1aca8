using System.Net;

namespace Telephony.Interop.Tests.Engine;

/// <summary>
/// The trunk DID 08001234567 through the B2BUA (server started without ivr.yaml, so the DID maps to 1001): SIPp calls from 127.0.0.2 (no auth), the registered baresip 1001
/// (auto-answer, playing a 440 Hz tone) answers. Audio both ways, RFC 4733 digits relayed to the callee leg
/// (RFC 4733 §2.3 re-sent with the callee's payload type and SSRC), and hang-up from either side.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class TrunkDidTests(ITestOutputHelper output)
{
    private const double ToneHz = 440;
    private readonly PortBlock ports = PortAllocator.For<TrunkDidTests>();

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")] // 1001 registered over TCP: the INVITE must reuse its connection
    public async Task TrunkCallToDid_Rings1001_AudioFlowsBothWays_CallerByeEndsBothLegs(string agentTransport)
    {
        await using ServerProcess server = await Engine.StartServerWithoutIvrAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("did");
        await using BaresipPeer agent = await StartAgentAsync(server, dir, agentTransport);
        string speech = Engine.Speech(dir);
        PcapSummary pcap = Engine.Pcap(dir, speech, digits: string.Empty);
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.TrunkAddress), media + 4);

        SippResult call = await Sipp.RunAsync(Engine.FromTrunk(server, "uac-media", Engine.Did, ports.PeerSip(0), media) with
        {
            Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
            DefaultPause = TimeSpan.FromSeconds(pcap.DurationSeconds + 0.5),
        });
        string context = $"{sink.Describe()}\n{call.Describe()}\n{server.Describe()}\nbaresip:\n{agent.Log.Tail(40)}";
        Assert.True(call.Succeeded, "the DID call failed\n" + context);
        Assert.DoesNotContain("BYE", call.ReceivedRequests);

        // The caller's BYE must end the callee leg too.
        await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(5));
        await agent.QuitAsync();

        Assert.True(sink.CountOf(0) > 100, "the caller got too little PCMU\n" + context);
        double share = AudioAnalysis.ToneShare(sink.Audio, ToneHz);
        Assert.True(share >= 0.7, $"the caller should hear 1001's {ToneHz} Hz tone: share {share:0.00}\n{context}");

        Assert.True(agent.ReceivedWavPath is not null, "baresip recorded nothing\n" + context);
        short[] heard = WavFile.Read(agent.ReceivedWavPath!).Mono();
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(WavFile.Read(speech).Mono(), heard);
        Assert.True(corr >= 0.7, $"1001 should hear the caller's speech: correlation {corr:0.00} at {lag:0.00} s\n{context}");
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task TrunkCallToDid_Rfc4733DigitsFromCaller_ReachTheCalleeAsRfc4733()
    {
        await using ServerProcess server = await Engine.StartServerWithoutIvrAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("did-dtmf");
        await using BaresipPeer agent = await StartAgentAsync(server, dir);
        string speech = Engine.Speech(dir, text: "Digits follow.");
        const string digits = "159#";
        PcapSummary pcap = PcapBuilder.Write(Path.Combine(dir, "call.pcap"), new PcapStream
        {
            Audio = WavFile.Read(speech).Mono()[..8000], // 1 s, so the callee's leg is up before the digits
            Digits = digits,
            DigitMs = 120,
            GapMs = 150,
        });
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.TrunkAddress), media + 4);

        SippResult call = await Sipp.RunAsync(Engine.FromTrunk(server, "uac-media", Engine.Did, ports.PeerSip(0), media) with
        {
            Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
            DefaultPause = TimeSpan.FromSeconds(pcap.DurationSeconds + 0.5),
        });
        string context = $"{call.Describe()}\n{server.Describe()}\nbaresip:\n{agent.Log.Tail(60)}";
        Assert.True(call.Succeeded, "the DID call failed\n" + context);
        await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(5));

        foreach (char d in digits)
        {
            Assert.True(agent.Log.Contains($"received event: '{d}'"), $"baresip did not receive digit '{d}' as RFC 4733\n{context}");
        }

        // Once per digit, no duplicates from redundant end packets.
        int ends = agent.Log.Matching("(end=1)").Count(l => l.Contains("received event:", StringComparison.Ordinal));
        Assert.True(ends == digits.Length, $"expected {digits.Length} digit ends, got {ends}\n{context}");
    }

    [Fact]
    public async Task TrunkCallToDid_CalleeHangsUpFirst_CallerGetsBye()
    {
        await using ServerProcess server = await Engine.StartServerWithoutIvrAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("did-callee-bye");
        await using BaresipPeer agent = await StartAgentAsync(server, dir);
        string speech = Engine.Speech(dir);
        PcapSummary pcap = Engine.Pcap(dir, speech, digits: string.Empty);
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.TrunkAddress), media + 4);

        await using SippProcess caller = SippProcess.Start(Engine.FromTrunk(server, "uac-media", Engine.Did, ports.PeerSip(0), media) with
        {
            Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
            DefaultPause = TimeSpan.FromSeconds(20), // the callee hangs up long before this
        });
        await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await agent.HangupAsync();
        SippResult call = await caller.WaitAsync();
        string context = $"{call.Describe()}\n{server.Describe()}\nbaresip:\n{agent.Log.Tail(40)}";

        Assert.True(call.Succeeded, "the caller should get a BYE and answer it\n" + context);
        Assert.Contains("BYE", call.ReceivedRequests);
        Assert.DoesNotContain(call.Messages, m => m.Sent && m.StartLine.StartsWith("BYE", StringComparison.Ordinal));
        await Health.AssertNoCallsLeftAsync(server);
    }

    private async Task<BaresipPeer> StartAgentAsync(ServerProcess server, string dir, string transport = "udp")
    {
        BaresipPeer agent = await BaresipPeer.StartAsync(
            new BaresipOptions
            {
                Name = "1001", SipPort = ports.PeerSip(1), ControlPort = ports.PeerSip(1) + 2, RtpPortMin = ports.PeerMedia(1),
                Account = BaresipPeer.AccountLine("1001", server.SipHostPort, Engine.Password("1001"), autoAnswer: true, transport: transport),
                AudioSourceWav = TestAudio.Tone(ToneHz, 3, Path.Combine(dir, "tone.wav")),
                QuitAfter = TimeSpan.FromSeconds(90),
            },
            output);
        try
        {
            await agent.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }

        return agent;
    }
}
