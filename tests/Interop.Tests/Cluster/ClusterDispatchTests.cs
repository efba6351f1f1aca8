using System.Globalization;
using Npgsql;
using Telephony.Interop.Tests.Ivr;
using Telephony.Recording.Tests.Storage;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// One owner per queue dispatches for the whole cluster (src/Cluster/README.md, "Dispatch"): two nodes behind Kamailio
/// share <c>cluster.database</c>; three trunk callers reach <c>support</c> through Kamailio (round-robin: both nodes),
/// while the one agent, 1001 (a baresip phone registered with Kamailio), is logged in and paused through node-a's API
/// only: node-b takes both from the cluster bus (its own API shows the agent paused). Once all three wait, the agent
/// resumes (again on node-a only): the owner of <c>support</c> assigns the
/// callers one by one in global arrival order, each to 1001 only when the previous call has ended, and the node holding
/// each caller's media rings the agent through Kamailio.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ClusterDispatchTests(ITestOutputHelper output)
{
    private const int Callers = 3;
    private readonly PortBlock[] blocks = [PortAllocator.For<ClusterDispatchTests>(), PortAllocator.For(typeof(ClusterDispatchTests).FullName + ".node-b")];

    [KamailioPostgresFact]
    public async Task Callers_on_both_nodes_are_answered_in_global_arrival_order_by_one_agent_never_offered_two_calls()
    {
        string schema = await TestPostgres.CreateSchemaAsync();
        string database = TestPostgres.ConnectionStringFor(schema);
        try
        {
            string config = IvrCalls.ConfigCopy("cluster-dispatch", q => q
                .Replace("wrapUpSeconds: 10", "wrapUpSeconds: 0", StringComparison.Ordinal)
                .Replace("    survey: csat", "    survey: none", StringComparison.Ordinal));
            await using LocalCluster cluster = await LocalCluster.StartAsync(blocks, output, new Dictionary<string, string?>
            {
                ["TELEPHONY_IVR__CLOCK"] = IvrCalls.OpenClock,
                ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = config,
                ["TELEPHONY_CLUSTER__DATABASE"] = database,
            });
            await using var db = NpgsqlDataSource.Create(database);
            PortBlock ports = blocks[0];
            string dir = RepoPaths.NewTempDirectory("cluster-dispatch");
            await using BaresipPeer agent = await BaresipPeer.StartAsync(new BaresipOptions
            {
                Name = "1001", SipPort = ports.PeerSip(1), ControlPort = ports.PeerSip(1) + 2, RtpPortMin = ports.PeerMedia(1),
                Account = BaresipPeer.AccountLine("1001", cluster.Kamailio.HostPort, Engine.Engine.Password("1001"), autoAnswer: true, registerSeconds: 600),
                AudioSourceWav = TestAudio.Tone(1000, 60, Path.Combine(dir, "tone.wav")), QuitAfter = TimeSpan.FromSeconds(90),
            }, output);
            await agent.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));

            using HttpClient admin = AuthenticatedHttp.Create(TimeSpan.FromSeconds(10));
            foreach (ServerProcess node in cluster.Nodes)
            {
                await node.WaitForLogAsync("Cluster bus: listening", TimeSpan.FromSeconds(10)); // the bus keeps nothing for later
            }
            await PostAsync(admin, cluster.Nodes[0], "api/agents/1001/login"); // node-a only: agent commands are cluster-wide
            await PostAsync(admin, cluster.Nodes[0], "api/agents/1001/pause?reason=break");
            string onB = "";
            for (var until = DateTime.UtcNow + TimeSpan.FromSeconds(5); DateTime.UtcNow < until && !onB.Contains("\"Paused\"", StringComparison.Ordinal);)
            {
                await Task.Delay(100);
                onB = await admin.GetStringAsync(new Uri(cluster.Nodes[1].HttpBase, "api/agents/1001"));
            }
            Assert.True(onB.Contains("\"break\"", StringComparison.Ordinal), $"node-b did not take the login and pause from node-a: {onB}\n{cluster.Describe()}");

            short[] welcome = WavFile.Read(RepoPaths.Sound("ivr/welcome")).Mono();
            PcapSummary keys = IvrCalls.Keys(dir, (welcome.Length / 8000.0) + 1.5, "2");
            PcapSummary hold = IvrCalls.Keys(dir, 0.5, "", "hold.pcap");
            int[] peers = [0, 2, 3];
            var callers = new List<SippProcess>();
            try
            {
                for (int i = 0; i < Callers; i++)
                {
                    callers.Add(SippProcess.Start(IvrCalls.Caller(cluster.Nodes[0], ports.PeerSip(peers[i]), ports.PeerMedia(peers[i]),
                        "+155500009" + i.ToString(CultureInfo.InvariantCulture), keys, keys.DurationSeconds + 1, hold, 40) with
                    {
                        Remote = cluster.Kamailio.HostPort,
                    }));
                    await Task.Delay(700);
                }

                // All three wait in one line across both nodes; their global order is the entry sequence.
                List<(string CallId, string Node, string Caller)> line = [];
                var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
                while (line.Count < Callers && DateTime.UtcNow < until)
                {
                    await Task.Delay(100);
                    line = await RowsAsync(db, "SELECT call_id, node, caller FROM cluster_calls WHERE queue = 'support' ORDER BY entered_at, entry");
                }
                Assert.True(line.Count == Callers, $"{line.Count} callers waiting in support\n{cluster.Describe()}");
                output.WriteLine("line: " + string.Join(", ", line.Select(l => $"{l.Caller}@{l.Node}")));
                Assert.Equal(2, line.Select(l => l.Node).Distinct().Count());
                Assert.Empty(await RowsAsync(db, "SELECT call_id, agent, owner FROM queue_dispatches")); // paused on node-a: busy everywhere

                await PostAsync(admin, cluster.Nodes[0], "api/agents/1001/resume");
                for (int i = 0; i < Callers; i++)
                {
                    int from = agent.Log.Count;
                    await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(10), from);
                    await Task.Delay(500);
                    await agent.HangupAsync();
                    await agent.WaitForLogAsync("terminate call", TimeSpan.FromSeconds(5), from);
                }
                var dispatches = await RowsAsync(db, "SELECT call_id, agent, owner FROM queue_dispatches ORDER BY id");
                string context = $"dispatches: {string.Join(", ", dispatches)}\n{cluster.Describe()}\n--- agent ---\n{agent.Log.Tail(40)}";
                output.WriteLine(context);
                Assert.Equal(line.Select(l => l.CallId), dispatches.Select(d => d.CallId)); // once each, in global arrival order
                Assert.All(dispatches, d => Assert.Equal("1001", d.Node));
                Assert.Single(dispatches.Select(d => d.Caller).Distinct()); // one owner

                // Never two calls at once: established and hung up alternate on the agent's phone.
                var events = agent.Log.Snapshot().Where(l => l.Contains("Call established", StringComparison.Ordinal) || l.Contains("terminate call", StringComparison.Ordinal))
                    .Select(l => l.Contains("Call established", StringComparison.Ordinal) ? 'E' : 'T').ToList();
                Assert.True(string.Concat(events) == "ETETET", $"agent calls overlapped: {string.Concat(events)}\n{context}");
                Assert.All(cluster.Nodes, node => Assert.True(node.Log.Contains("bridged to agent 1001"), "a node did not bridge a caller\n" + context));
            }
            finally
            {
                foreach (SippProcess caller in callers)
                {
                    await caller.DisposeAsync();
                }
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            TestPostgres.DropSchema(schema);
        }
    }

    private static Task PostAsync(HttpClient admin, ServerProcess node, string path) => ClusterDb.PostOkAsync(admin, node, path);

    private static async Task<List<(string CallId, string Node, string Caller)>> RowsAsync(NpgsqlDataSource db, string sql) => await ClusterDb.RowsAsync(db, sql);
}
