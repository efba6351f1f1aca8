using System.Net;
using Telephony.Interop.Tests.Engine;

namespace Telephony.Interop.Tests.Ivr;

/// <summary>
/// The 0800 number end to end: SIPp from the trunk hears the IVR greeting, presses 2 (RFC 4733), waits in the support
/// queue and is answered by the registered baresip agent 1001 (auto-answer, logged in by registering); audio both ways.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class IvrQueueTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<IvrQueueTests>();

    [Fact]
    public async Task TrunkCallerPresses2_SupportAgentAnswers_AudioFlowsBothWays()
    {
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("ivr-support");
        string speech = Engine.Engine.Speech(dir);
        string tone = TestAudio.Tone(1000, 30, Path.Combine(dir, "tone.wav"));
        await using BaresipPeer agent = await BaresipPeer.StartAsync(new BaresipOptions
        {
            Name = "1001", SipPort = ports.PeerSip(1), ControlPort = ports.PeerSip(1) + 2, RtpPortMin = ports.PeerMedia(1),
            Account = BaresipPeer.AccountLine("1001", server.SipHostPort, Engine.Engine.Password("1001"), autoAnswer: true, registerSeconds: 600),
            AudioSourceWav = tone, QuitAfter = TimeSpan.FromSeconds(90),
        }, output);
        await agent.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(5));

        short[] welcome = WavFile.Read(RepoPaths.Sound("ivr/welcome")).Mono();
        double welcomeSeconds = welcome.Length / 8000.0;
        PcapSummary keys = IvrCalls.Keys(dir, welcomeSeconds + 1.5, "2");
        PcapSummary talk = PcapBuilder.Write(Path.Combine(dir, "talk.pcap"), new PcapStream { Audio = WavFile.Read(speech).Mono() });
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);

        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, "+15550000002",
            keys, keys.DurationSeconds + 3.5, talk, talk.DurationSeconds + 1.5));
        await sink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));
        await agent.QuitAsync();

        string context = $"{sink.Describe()}\n{call.Describe()}\n{server.Describe(150)}";
        output.WriteLine(context);
        Assert.True(call.Succeeded, "caller's call failed\n" + context);

        short[] heard = sink.Audio;
        short[] greeting = heard.AsSpan(0, Math.Min(heard.Length, welcome.Length)).ToArray();
        Assert.False(AudioAnalysis.IsSilent(greeting), "greeting is silent\n" + context);
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(welcome, greeting);
        Assert.True(corr >= 0.7, $"greeting does not match ivr/welcome: {corr:0.00} at {lag:0.00} s\n{context}");

        Assert.True(server.Log.Contains("bridged to agent 1001"), "caller was not bridged to 1001\n" + context);
        short[] last = heard.AsSpan(Math.Max(0, heard.Length - 16000)).ToArray();
        double share = AudioAnalysis.ToneShare(last, 1000);
        Assert.True(share >= 0.5, $"caller should hear the agent's 1 kHz tone at the end: share {share:0.00}\n{context}");

        Assert.True(agent.ReceivedWavPath is not null, "agent recorded nothing\n" + context);
        short[] agentHeard = WavFile.Read(agent.ReceivedWavPath!).Mono();
        (double agentCorr, double agentLag) = AudioAnalysis.EnvelopeCorrelation(WavFile.Read(speech).Mono(), agentHeard, maxLagSeconds: 10);
        Assert.True(agentCorr >= 0.6, $"agent should hear the caller's speech: {agentCorr:0.00} at {agentLag:0.00} s\n{context}");
    }
}
