using System.Net;
using Telephony.Interop.Tests.Engine;

namespace Telephony.Interop.Tests.Ivr;

/// <summary>
/// The IVR <c>queue</c> node's own <c>max_wait</c> and <c>priority</c> apply on a live call: the support node waits
/// 6 s (the queue's own maxWaitSeconds stays 300 with overflow to the operator queue) at priority 7, then the flow
/// continues at its overflow node (all-busy goodbye, BYE).
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class IvrNodeQueueTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<IvrNodeQueueTests>();

    [Fact]
    public async Task QueueNodeMaxWait_OverridesTheQueues_FlowContinuesAtItsOverflow()
    {
        string config = IvrCalls.ConfigCopy("ivr-node-maxwait", yaml => yaml, ivr => ivr.Replace(
            "        queue: support\n        max_wait: 5m\n",
            "        queue: support\n        priority: 7\n        max_wait: 6s\n", StringComparison.Ordinal));
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output, configDirectory: config);
        string dir = RepoPaths.NewTempDirectory("ivr-node-maxwait");
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);

        var started = DateTime.UtcNow;
        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, "+15550000002",
            keys, keys.DurationSeconds + 1, quiet, 40));
        double seconds = (DateTime.UtcNow - started).TotalSeconds;
        await sink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        string context = $"{sink.Describe()}\n{call.Describe()}\ncall took {seconds:0.0} s\n{server.Describe(120)}";
        output.WriteLine(context);

        Assert.True(call.Succeeded && call.ReceivedRequests.Contains("BYE"), "caller should get BYE after the node's overflow\n" + context);
        Assert.True(server.Log.Contains("priority 7"), "node priority not applied\n" + context);
        Assert.True(server.Log.Contains("max wait 6 s"), "node max wait not passed to the queue\n" + context);
        Assert.True(server.Log.Contains("to Application"), "caller should be handed back to the IVR\n" + context);
        Assert.False(server.Log.Contains("to Queue operator"), "the queue's own overflow must not apply\n" + context);
        Assert.True(seconds < 35, $"caller should leave well before the queue's 300 s: {seconds:0.0} s\n{context}");
        short[] allBusy = WavFile.Read(RepoPaths.Sound("ivr/all-busy")).Mono();
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(allBusy, sink.Audio, maxLagSeconds: 30);
        Assert.True(corr >= 0.6, $"caller should hear the all-busy message: {corr:0.00} at {lag:0.00} s\n{context}");
    }
}
