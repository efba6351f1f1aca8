using System.Diagnostics;
using System.Text.Json;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// Draining a node behind Kamailio (<c>POST /api/cluster/drain</c>): it answers Kamailio's OPTIONS probe with 503, so
/// Kamailio marks it inactive at the next probe and sends every new call to the other node with no failover delay;
/// <c>POST /api/cluster/resume</c> brings it back into rotation.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ClusterDrainTests(ITestOutputHelper output)
{
    private readonly PortBlock[] blocks = [PortAllocator.For<ClusterDrainTests>(), PortAllocator.For(typeof(ClusterDrainTests).FullName + ".node-b")];

    [KamailioFact]
    public async Task A_drained_node_leaves_the_rotation_at_the_next_probe_and_resume_brings_it_back()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(blocks, output);
        using HttpClient admin = AuthenticatedHttp.Create(TimeSpan.FromSeconds(10));
        ServerProcess nodeA = cluster.Nodes[0];

        var clock = Stopwatch.StartNew();
        using (HttpResponseMessage drain = await admin.PostAsync(new Uri(nodeA.HttpBase, "api/cluster/drain"), null))
        {
            string body = await drain.Content.ReadAsStringAsync();
            Assert.True(drain.IsSuccessStatusCode, body);
            using JsonDocument doc = JsonDocument.Parse(body);
            Assert.True(doc.RootElement.GetProperty("draining").GetBoolean());
            Assert.Equal("node-a", doc.RootElement.GetProperty("nodeId").GetString());
        }
        Assert.True(await cluster.Kamailio.WaitForStatesAsync(s => s.GetValueOrDefault(cluster.NodeUri(0), "").StartsWith('I'), TimeSpan.FromSeconds(5)),
            "Kamailio did not take the drained node out\n" + cluster.Describe());
        output.WriteLine($"drained node inactive in Kamailio after {clock.Elapsed.TotalSeconds:0.00} s");
        (_, string health) = await nodeA.GetHealthAsync();
        Assert.Contains("\"draining\":true", health, StringComparison.Ordinal);

        long aBefore = await cluster.TotalCallsAsync(0), bBefore = await cluster.TotalCallsAsync(1);
        string dir = RepoPaths.NewTempDirectory("cluster-drain");
        string speech = TestAudio.Speech("One.", Path.Combine(dir, "speech.wav"), exactSeconds: 0.5);
        PcapSummary pcap = PcapBuilder.Write(Path.Combine(dir, "call.pcap"), new PcapStream { Audio = WavFile.Read(speech).Mono() });
        SippResult calls = await Sipp.RunAsync(new SippOptions
        {
            Scenario = "uac-media",
            Remote = cluster.Kamailio.HostPort,
            Service = Engine.Engine.EchoNumber,
            LocalAddress = Engine.Engine.TrunkAddress,
            LocalPort = blocks[0].PeerSip(0),
            MediaPort = blocks[0].PeerMedia(0),
            Calls = 4,
            Limit = 4,
            Rate = 4,
            Variables = new Dictionary<string, string> { ["from"] = "+15550000001" },
            Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
            DefaultPause = TimeSpan.FromSeconds(pcap.DurationSeconds + 0.3),
        });
        Assert.True(calls.Succeeded, calls.Describe() + "\n" + cluster.Describe());
        Assert.Equal(aBefore, await cluster.TotalCallsAsync(0)); // the drained node took none
        Assert.Equal(bBefore + 4, await cluster.TotalCallsAsync(1));
        Assert.DoesNotContain(503, calls.ReceivedStatusCodes); // no failover: Kamailio already knew

        using (HttpResponseMessage resume = await admin.PostAsync(new Uri(nodeA.HttpBase, "api/cluster/resume"), null))
        {
            Assert.True(resume.IsSuccessStatusCode);
        }
        Assert.True(await cluster.Kamailio.WaitForStatesAsync(s => s.GetValueOrDefault(cluster.NodeUri(0)) == "AP", TimeSpan.FromSeconds(5)),
            "Kamailio did not bring the resumed node back\n" + cluster.Describe());
    }
}
