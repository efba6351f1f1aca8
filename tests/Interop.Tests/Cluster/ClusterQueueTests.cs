using System.Net;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// An agent whose phone registered with Kamailio (not with any node) answers queue calls landing on either node: two
/// trunk calls to the 0800 number go through Kamailio (round-robin: one per node), press 2 for the support queue, and
/// each node rings agent 1001 as <c>sip:1001@&lt;proxy&gt;</c> (cluster.proxy); Kamailio's <c>lookup("location")</c>
/// reaches the baresip phone, which auto-answers; the caller hears the agent's tone and the agent hears the caller.
/// The agent is logged in on each node through the API (nodes do not see Kamailio's registrations, so
/// loginOnRegister cannot do it; without <c>cluster.database</c> there is no bus to carry the login, see
/// <see cref="ClusterDispatchTests"/>): the calls are made one after another.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ClusterQueueTests(ITestOutputHelper output)
{
    private readonly PortBlock[] blocks = [PortAllocator.For<ClusterQueueTests>(), PortAllocator.For(typeof(ClusterQueueTests).FullName + ".node-b")];

    [KamailioFact]
    public async Task Agent_registered_through_Kamailio_answers_queue_calls_on_both_nodes()
    {
        await using LocalCluster cluster = await LocalCluster.StartAsync(blocks, output,
            new Dictionary<string, string?> { ["TELEPHONY_IVR__CLOCK"] = IvrCalls.OpenClock });
        string dir = RepoPaths.NewTempDirectory("cluster-queue");
        string speech = TestAudio.Speech("Hello, this is the caller speaking.", Path.Combine(dir, "speech.wav"), exactSeconds: 2.0);
        string tone = TestAudio.Tone(1000, 60, Path.Combine(dir, "tone.wav"));
        PortBlock ports = blocks[0];
        await using BaresipPeer agent = await BaresipPeer.StartAsync(new BaresipOptions
        {
            Name = "1001", SipPort = ports.PeerSip(1), ControlPort = ports.PeerSip(1) + 2, RtpPortMin = ports.PeerMedia(1),
            Account = BaresipPeer.AccountLine("1001", cluster.Kamailio.HostPort, Engine.Engine.Password("1001"), autoAnswer: true, registerSeconds: 600),
            AudioSourceWav = tone, QuitAfter = TimeSpan.FromSeconds(120),
        }, output);
        await agent.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10)); // 200 OK from Kamailio's registrar

        using HttpClient admin = AuthenticatedHttp.Create(TimeSpan.FromSeconds(10));
        foreach (ServerProcess node in cluster.Nodes)
        {
            using HttpResponseMessage login = await admin.PostAsync(new Uri(node.HttpBase, "api/agents/1001/login"), null);
            Assert.True(login.IsSuccessStatusCode, $"agent login on {node.HttpBase}: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        }

        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary talk = PcapBuilder.Write(Path.Combine(dir, "talk.pcap"), new PcapStream { Audio = WavFile.Read(speech).Mono() });
        for (int call = 0; call < 2; call++)
        {
            int media = ports.PeerMedia(call == 0 ? 0 : 2);
            int agentLine = agent.Log.Count;
            await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
            SippResult result = await Sipp.RunAsync(IvrCalls.Caller(cluster.Nodes[0], ports.PeerSip(call == 0 ? 0 : 2), media,
                "+1555000001" + call, keys, keys.DurationSeconds + 3.5, talk, talk.DurationSeconds + 1.5) with
            {
                Remote = cluster.Kamailio.HostPort,
            });
            await sink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
            string context = $"call {call}: {sink.Describe()}\n{result.Describe()}\n{cluster.Describe()}\n--- agent ---\n{agent.Log.Tail(30)}";
            output.WriteLine(context);
            Assert.True(result.Succeeded, "caller's call failed\n" + context);
            short[] heard = sink.Audio;
            double share = AudioAnalysis.ToneShare(heard.AsSpan(Math.Max(0, heard.Length - 8000)).ToArray(), 1000);
            Assert.True(share >= 0.5, $"caller should hear the agent's 1 kHz tone at the end: share {share:0.00}\n{context}");
            await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10), agentLine);
        }

        // One call per node (round-robin), each bridged to 1001 by the node it landed on.
        Assert.All(cluster.Nodes, node => Assert.True(node.Log.Contains("bridged to agent 1001"), "a node did not bridge a caller to 1001\n" + cluster.Describe()));
        Assert.True(agent.ReceivedWavPath is not null, "agent recorded nothing");
        Assert.False(AudioAnalysis.IsSilent(WavFile.Read(agent.ReceivedWavPath!).Mono()), "agent heard silence");
    }
}
