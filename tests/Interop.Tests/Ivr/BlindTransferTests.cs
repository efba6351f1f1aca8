using System.Net;
using Telephony.Interop.Tests.Engine;

namespace Telephony.Interop.Tests.Ivr;

/// <summary>
/// Blind transfer by the agent (REFER, RFC 3515): a SIPp trunk caller presses 2, the support queue rings agent 1001
/// (a scripted raw SIP phone) which answers and sends REFER. To an extension: baresip 1002 is rung, answers, and audio
/// flows caller ↔ 1002. To a queue: agent 1003 of 'sales' gets an INVITE with the same interaction id and variables.
/// 1001 gets 202, NOTIFY 100 Trying then 200 OK, and leaves the scheduler's OnCall state.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class BlindTransferTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<BlindTransferTests>();

    [Fact]
    public async Task AgentRefersCallerTo1002_1002Answers_AudioFlowsBothWays()
    {
        string config = IvrCalls.ConfigCopy("ivr-refer-ext", yaml => yaml.Replace("      - agent: \"1002\"\n", "", StringComparison.Ordinal));
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output, configDirectory: config);
        string dir = RepoPaths.NewTempDirectory("ivr-refer-ext");
        string speech = Engine.Engine.Speech(dir);
        string tone = TestAudio.Tone(1000, 40, Path.Combine(dir, "tone.wav"));
        using var agentSip = new RawSipClient(server.SipEndPoint, ports.PeerSip(1));
        Assert.Equal(200, SipText.StatusCode((await agentSip.RegisterAsync("1001", Engine.Engine.Password("1001"), 600))[^1]));
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(5));
        await using BaresipPeer target = await BaresipPeer.StartAsync(new BaresipOptions
        {
            Name = "1002", SipPort = ports.PeerSip(2), ControlPort = ports.PeerSip(2) + 2, RtpPortMin = ports.PeerMedia(2),
            Account = BaresipPeer.AccountLine("1002", server.SipHostPort, Engine.Engine.Password("1002"), autoAnswer: true, registerSeconds: 600),
            AudioSourceWav = tone, QuitAfter = TimeSpan.FromSeconds(90),
        }, output);
        await target.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));

        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary talk = PcapBuilder.Write(Path.Combine(dir, "talk.pcap"), new PcapStream { Audio = WavFile.Read(speech).Mono() });
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        await using SippProcess caller = SippProcess.Start(IvrCalls.Caller(server, ports.PeerSip(0), media, "+15550000002",
            keys, keys.DurationSeconds + 7, talk, talk.DurationSeconds + 2));

        var agent = new RawAgent(agentSip, "1001");
        bool answered = await agent.AnswerAsync(new IPEndPoint(IPAddress.Loopback, ports.PeerMedia(1)), TimeSpan.FromSeconds(20));
        await Task.Delay(500);
        int referStatus = answered ? await agent.ReferAsync($"<sip:1002@{server.SipHostPort}>", TimeSpan.FromSeconds(5)) : 0;
        string? final = referStatus == 202 ? await agent.WaitForFinalNotifyAsync(TimeSpan.FromSeconds(15)) : null;
        if (final is not null)
        {
            await agent.ByeAsync();
        }
        SippResult call = await caller.WaitAsync();
        await sink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        await target.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));
        await target.QuitAsync();

        string context = $"notifies: {string.Join(" | ", agent.NotifyBodies)}\nrequests: {string.Join(" | ", agent.Requests)}\n" +
                         $"{sink.Describe()}\n{call.Describe()}\n{server.Describe(150)}";
        output.WriteLine(context);
        Assert.True(answered, "agent 1001 was not rung\n" + context);
        Assert.Equal(202, referStatus);
        Assert.Equal("SIP/2.0 100 Trying", agent.NotifyBodies.FirstOrDefault());
        Assert.Equal("SIP/2.0 200 OK", final);
        Assert.True(call.Succeeded, "caller's call failed\n" + context);
        Assert.True(server.Log.Contains("bridged to agent 1002"), "caller was not bridged to 1002\n" + context);
        Assert.True(server.Log.Contains("Agent 1001: OnCall -> WrapUp"), "1001 should go to wrap-up\n" + context);

        short[] heard = sink.Audio;
        short[] last = heard.AsSpan(Math.Max(0, heard.Length - 16000)).ToArray();
        double share = AudioAnalysis.ToneShare(last, 1000);
        Assert.True(share >= 0.5, $"caller should hear 1002's 1 kHz tone at the end: share {share:0.00}\n{context}");
        Assert.True(target.ReceivedWavPath is not null, "1002 recorded nothing\n" + context);
        short[] targetHeard = WavFile.Read(target.ReceivedWavPath!).Mono();
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(WavFile.Read(speech).Mono(), targetHeard, maxLagSeconds: 15);
        Assert.True(corr >= 0.6, $"1002 should hear the caller's speech: {corr:0.00} at {lag:0.00} s\n{context}");
    }

    [Fact]
    public async Task AgentRefersCallerToSalesQueue_NextAgentInviteCarriesSameInteraction()
    {
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output);
        using var agentSip = new RawSipClient(server.SipEndPoint, ports.PeerSip(1));
        using var salesSip = new RawSipClient(server.SipEndPoint, ports.PeerSip(2));
        Assert.Equal(200, SipText.StatusCode((await agentSip.RegisterAsync("1001", Engine.Engine.Password("1001"), 600))[^1]));
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(5));

        string dir = RepoPaths.NewTempDirectory("ivr-refer-queue");
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");
        await using SippProcess caller = SippProcess.Start(IvrCalls.Caller(server, ports.PeerSip(0), ports.PeerMedia(0), "+15550000001",
            keys, keys.DurationSeconds + 8, quiet, 1));

        var agent = new RawAgent(agentSip, "1001");
        bool answered = await agent.AnswerAsync(new IPEndPoint(IPAddress.Loopback, ports.PeerMedia(1)), TimeSpan.FromSeconds(20));
        // 1003 (sales) logs in only now, so the queue is the only way it can get this caller.
        Assert.Equal(200, SipText.StatusCode((await salesSip.RegisterAsync("1003", Engine.Engine.Password("1003"), 600))[^1]));
        await Task.Delay(500);
        int referStatus = answered ? await agent.ReferAsync($"<sip:sales@{server.SipHostPort}>", TimeSpan.FromSeconds(5)) : 0;
        string? final = referStatus == 202 ? await agent.WaitForFinalNotifyAsync(TimeSpan.FromSeconds(10)) : null;
        var sales = new RawAgent(salesSip, "1003");
        bool salesAnswered = await sales.AnswerAsync(new IPEndPoint(IPAddress.Loopback, ports.PeerMedia(2)), TimeSpan.FromSeconds(10));
        SippResult call = await caller.WaitAsync();
        string context = $"first: {agent.Invite}\nsecond: {sales.Invite}\nnotifies: {string.Join(" | ", agent.NotifyBodies)}\n" +
                         $"{call.Describe()}\n{server.Describe(150)}";
        output.WriteLine(context);

        Assert.True(answered, "agent 1001 was not rung\n" + context);
        Assert.Equal(202, referStatus);
        Assert.Equal("SIP/2.0 200 OK", final);
        Assert.True(salesAnswered, "sales agent 1003 was not rung\n" + context);
        string id = SipText.Header(agent.Invite!, "X-Telephony-Interaction") ?? "";
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, SipText.Header(sales.Invite!, "X-Telephony-Interaction"));
        Assert.Equal("sales", SipText.Header(sales.Invite!, "X-Telephony-Queue"));
        Assert.Equal("50", SipText.Header(sales.Invite!, "X-Telephony-Priority"));
        Assert.Equal("vip", SipText.Header(sales.Invite!, "X-Telephony-Tags"));
        Assert.Equal("support", SipText.Header(sales.Invite!, "X-Telephony-Var-queue"));
        Assert.Equal(SipText.Header(agent.Invite!, "X-Telephony-Var-caller"), SipText.Header(sales.Invite!, "X-Telephony-Var-caller"));
        Assert.True(server.Log.Contains("bridged to agent 1003"), "caller was not bridged to 1003\n" + context);
    }
}
