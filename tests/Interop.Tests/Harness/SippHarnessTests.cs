using System.Net;

namespace Telephony.Interop.Tests.Harness;

/// <summary>Self-tests of the SIPp runner, scenarios, pcap and RTP sink against SIPp itself (no server).</summary>
[Collection(PeersCollection.Name)]
public sealed class SippHarnessTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<SippHarnessTests>();

    [Fact]
    public async Task UacWithPcap_ToEchoUas_GetsPcmuAndRfc4733DigitsBack()
    {
        string dir = RepoPaths.NewTempDirectory("sipp-self");
        string speech = TestAudio.Speech("One two three, testing the echo.", Path.Combine(dir, "speech.wav"), exactSeconds: 2.0);
        PcapSummary pcap = PcapBuilder.Write(Path.Combine(dir, "call.pcap"), new PcapStream { Audio = WavFile.Read(speech).Mono(), Digits = "12#" });

        int uasPort = ports.PeerSip(0), uacPort = ports.PeerSip(1);
        int uasMedia = ports.PeerMedia(0), uacMedia = ports.PeerMedia(1);
        await using var sink = new RtpSink(IPAddress.Loopback, uacMedia + 4);
        await using SippProcess uas = SippProcess.Start(new SippOptions
        {
            Scenario = "uas", BuiltIn = true, LocalPort = uasPort, MediaPort = uasMedia, RtpEcho = true,
            Timeout = TimeSpan.FromSeconds(20),
        });
        await uas.WaitUntilBoundAsync(uasPort);

        SippResult uac = await Sipp.RunAsync(new SippOptions
        {
            Scenario = "uac-media",
            Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
            Remote = $"127.0.0.1:{uasPort}",
            Service = "9000",
            LocalPort = uacPort,
            MediaPort = uacMedia,
            DefaultPause = TimeSpan.FromSeconds(pcap.DurationSeconds + 0.5),
            Timeout = TimeSpan.FromSeconds(20),
        });
        SippResult uasResult = await uas.WaitAsync();
        output.WriteLine(uac.Describe());
        output.WriteLine(sink.Describe());

        Assert.True(uac.Succeeded, uac.Describe() + "\nUAS:\n" + uasResult.Describe());
        Assert.True(uasResult.Succeeded, uasResult.Describe());
        Assert.Equal(1, uac.Stats?.SuccessfulCalls);
        Assert.True(sink.CountOf(0) >= 0.8 * pcap.PcmuPackets, sink.Describe());
        Assert.True(sink.CountOf(101) >= 0.8 * pcap.EventPackets, sink.Describe());
        Assert.Equal("12#", sink.Digits);
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(WavFile.Read(speech).Mono(), sink.Audio);
        Assert.True(corr > 0.9, $"echo correlation {corr:0.00} at {lag:0.00} s; {sink.Describe()}");
    }

    [Fact]
    public async Task UacCancel_ToRingingUas_Gets487AndUasSeesCancel()
    {
        int uasPort = ports.PeerSip(2), uacPort = ports.PeerSip(3);
        await using SippProcess uas = SippProcess.Start(new SippOptions
        {
            Scenario = "uas-ring-cancel", LocalPort = uasPort, MediaPort = ports.PeerMedia(2), Timeout = TimeSpan.FromSeconds(15),
        });
        await uas.WaitUntilBoundAsync(uasPort);
        SippResult uac = await Sipp.RunAsync(new SippOptions
        {
            Scenario = "uac-cancel",
            Remote = $"127.0.0.1:{uasPort}",
            Service = "1004",
            LocalPort = uacPort,
            MediaPort = ports.PeerMedia(3),
            DefaultPause = TimeSpan.FromMilliseconds(300),
            Timeout = TimeSpan.FromSeconds(15),
        });
        SippResult uasResult = await uas.WaitAsync();
        Assert.True(uac.Succeeded, uac.Describe() + "\nUAS:\n" + uasResult.Describe());
        Assert.True(uasResult.Succeeded, uasResult.Describe());
        Assert.Equal([100, 180, 200, 487], uac.ReceivedStatusCodes);
        Assert.Equal(["INVITE", "CANCEL", "ACK"], uasResult.ReceivedRequests);
    }
}
