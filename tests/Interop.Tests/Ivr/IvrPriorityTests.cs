using System.Text.RegularExpressions;
using Telephony.Interop.Tests.Engine;

namespace Telephony.Interop.Tests.Ivr;

/// <summary>
/// Priority through the live path: two normal callers wait in the support queue, the VIP caller (+15550000001, on the
/// IVR's VIP list: priority 50) arrives later, then agent 1001 (baresip, auto-answer) registers and is logged in: the
/// VIP is answered first.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed partial class IvrPriorityTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<IvrPriorityTests>();

    [Fact]
    public async Task TwoNormalCallersWaiting_VipArrivesLater_VipIsAnsweredFirst()
    {
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("ivr-vip");
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");

        SippProcess Caller(int i, string from, double wait) => SippProcess.Start(
            IvrCalls.Caller(server, ports.PeerSip(i), ports.PeerMedia(i), from, keys, keys.DurationSeconds + 1, quiet, wait));

        await using SippProcess first = Caller(0, "+15550000002", 16);
        await server.WaitForLogAsync("caller +15550000002 enters", TimeSpan.FromSeconds(15));
        await using SippProcess second = Caller(1, "+15550000003", 14);
        await server.WaitForLogAsync("caller +15550000003 enters", TimeSpan.FromSeconds(15));
        await using SippProcess vip = Caller(2, "+15550000001", 8);
        string vipLine = await server.WaitForLogAsync("caller +15550000001 enters", TimeSpan.FromSeconds(15));
        string vipInteraction = Interaction().Match(vipLine).Groups[1].Value;

        string tone = TestAudio.Tone(1000, 30, Path.Combine(dir, "tone.wav"));
        await using BaresipPeer agent = await BaresipPeer.StartAsync(new BaresipOptions
        {
            Name = "1001", SipPort = ports.PeerSip(4), ControlPort = ports.PeerSip(4) + 2, RtpPortMin = ports.PeerMedia(4),
            Account = BaresipPeer.AccountLine("1001", server.SipHostPort, Engine.Engine.Password("1001"), autoAnswer: true, registerSeconds: 600),
            AudioSourceWav = tone, QuitAfter = TimeSpan.FromSeconds(60),
        }, output);
        string connected = await server.WaitForLogAsync("connected to agent 1001", TimeSpan.FromSeconds(15));

        SippResult vipCall = await vip.WaitAsync();
        SippResult firstCall = await first.WaitAsync();
        SippResult secondCall = await second.WaitAsync();
        await agent.QuitAsync();
        string context = $"VIP interaction {vipInteraction}\n{connected}\n{vipCall.Describe()}\n{server.Describe(150)}";
        output.WriteLine(context);

        Assert.False(string.IsNullOrEmpty(vipInteraction), context);
        Assert.Contains(vipInteraction, connected);
        Assert.True(vipCall.Succeeded && firstCall.Succeeded && secondCall.Succeeded, context);
    }

    [GeneratedRegex(@"interaction ([0-9a-f]{32})")]
    private static partial Regex Interaction();
}
