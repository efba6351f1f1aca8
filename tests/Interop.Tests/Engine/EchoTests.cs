using System.Net;

namespace Telephony.Interop.Tests.Engine;

/// <summary>Echo test number 9000 called from the trunk (127.0.0.2, no auth) with PCMU + RFC 4733, over UDP and TCP.</summary>
[Collection(PeersCollection.Name)]
public sealed class EchoTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<EchoTests>();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TrunkCallTo9000_AudioComesBack(bool tcp)
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        SippResult call = await EchoCallAsync(server, ports, tcp, output);
        Assert.True(call.Succeeded, call.Describe());
    }

    /// <summary>One echo call from the trunk with a pcap; asserts on what came back. Shared with other tests.</summary>
    internal static async Task<SippResult> EchoCallAsync(ServerProcess server, PortBlock ports, bool tcp, ITestOutputHelper output)
    {
        string dir = RepoPaths.NewTempDirectory("echo");
        string speech = Engine.Speech(dir);
        PcapSummary pcap = Engine.Pcap(dir, speech);
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.TrunkAddress), media + 4);

        SippResult call = await Sipp.RunAsync(Engine.FromTrunk(server, "uac-media", Engine.EchoNumber, ports.PeerSip(0), media, tcp) with
        {
            Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
            DefaultPause = TimeSpan.FromSeconds(pcap.DurationSeconds + 1.0),
        });
        await sink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        output.WriteLine(call.Describe());
        output.WriteLine(sink.Describe());

        string context = $"{sink.Describe()}\nsent: {pcap}\n{call.Describe()}\n{server.Describe()}";
        Assert.True(call.Succeeded, "echo call failed\n" + context);
        Assert.True(sink.PacketCount >= 0.8 * pcap.TotalPackets, $"got {sink.PacketCount} of {pcap.TotalPackets} packets back\n{context}");
        Assert.True(sink.CountOf(0) > 0, "no PCMU (PT 0) came back\n" + context);
        Assert.False(AudioAnalysis.IsSilent(sink.Audio), "echoed audio is silent\n" + context);
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(WavFile.Read(speech).Mono(), sink.Audio);
        Assert.True(corr >= 0.7, $"echo does not match what was sent: envelope correlation {corr:0.00} at lag {lag:0.00} s\n{context}");
        return call;
    }
}
