using System.Diagnostics;
using System.Globalization;
using Npgsql;
using static Telephony.Interop.Tests.Cluster.ClusterDb;
using Telephony.Recording.Tests.Storage;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// The line survives its owner (src/Cluster/README.md, "Dispatch", takeover): three trunk callers wait in <c>support</c>
/// with their media on one node while the other node owns the queue; the one agent, 1001 (baresip registered with
/// Kamailio), is paused. The owner is killed (<c>kill -9</c>): the survivor owns <c>support</c> within 5 s, the agent
/// resumes, and the new owner assigns the callers one at a time in their original arrival order, each only once the
/// previous call has ended.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ClusterTakeoverOrderTests(ITestOutputHelper output)
{
    private const int Callers = 3;
    private readonly PortBlock[] blocks = [PortAllocator.For<ClusterTakeoverOrderTests>(), PortAllocator.For(typeof(ClusterTakeoverOrderTests).FullName + ".node-b")];

    [KamailioPostgresFact]
    public async Task After_the_owner_is_killed_the_survivor_answers_the_waiting_callers_in_their_original_order()
    {
        string schema = await TestPostgres.CreateSchemaAsync();
        string database = TestPostgres.ConnectionStringFor(schema);
        try
        {
            string config = Ivr.IvrCalls.ConfigCopy("cluster-takeover", q => q
                .Replace("wrapUpSeconds: 10", "wrapUpSeconds: 0", StringComparison.Ordinal)
                .Replace("    survey: csat", "    survey: none", StringComparison.Ordinal));
            await using LocalCluster cluster = await LocalCluster.StartAsync(blocks, output, new Dictionary<string, string?>
            {
                ["TELEPHONY_IVR__CLOCK"] = Ivr.IvrCalls.OpenClock,
                ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = config,
                ["TELEPHONY_CLUSTER__DATABASE"] = database,
            });
            await using var db = NpgsqlDataSource.Create(database);
            string owner = await SupportOwnerAsync(db, cluster);
            int victim = owner == "node-a" ? 0 : 1, survivor = 1 - victim;
            string survivorId = survivor == 0 ? "node-a" : "node-b";
            PortBlock ports = blocks[0];
            string dir = RepoPaths.NewTempDirectory("cluster-takeover");
            await using BaresipPeer agent = await BaresipPeer.StartAsync(new BaresipOptions
            {
                Name = "1001", SipPort = ports.PeerSip(1), ControlPort = ports.PeerSip(1) + 2, RtpPortMin = ports.PeerMedia(1),
                Account = BaresipPeer.AccountLine("1001", cluster.Kamailio.HostPort, Engine.Engine.Password("1001"), autoAnswer: true, registerSeconds: 600),
                AudioSourceWav = TestAudio.Tone(1000, 60, Path.Combine(dir, "tone.wav")), QuitAfter = TimeSpan.FromSeconds(60),
            }, output);
            await agent.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
            using HttpClient admin = AuthenticatedHttp.Create(TimeSpan.FromSeconds(10));
            await cluster.Nodes[survivor].WaitForLogAsync("Cluster bus: listening", TimeSpan.FromSeconds(10));
            await PostAsync(admin, cluster.Nodes[survivor], "api/agents/1001/login");
            await PostAsync(admin, cluster.Nodes[survivor], "api/agents/1001/pause?reason=break");

            var callers = new List<SippProcess>();
            try
            {
                int[] peers = [0, 2, 3];
                for (int i = 0; i < Callers; i++)
                {
                    callers.Add(SippProcess.Start(SupportCaller(cluster, survivor, ports, peers[i], "+155500008" + i.ToString(CultureInfo.InvariantCulture), 40)));
                    await Task.Delay(500);
                }
                var line = await WaitForAsync(async () =>
                {
                    var rows = await ColumnAsync(db, "SELECT call_id FROM cluster_calls WHERE queue = 'support' ORDER BY entered_at, entry");
                    return rows.Count == Callers ? rows : null;
                }, TimeSpan.FromSeconds(15));
                Assert.True(line is not null, $"the callers are not all waiting in support\n{cluster.Describe()}");

                var killed = Stopwatch.StartNew();
                cluster.Nodes[victim].Kill();
                string? newOwner = await WaitForAsync(() => ScalarAsync<string>(db,
                    $"SELECT owner FROM queue_leases WHERE queue = 'support' AND owner = '{survivorId}' AND expires_at > now()"), TimeSpan.FromSeconds(8));
                output.WriteLine($"support re-owned by {newOwner} after {killed.Elapsed.TotalSeconds:0.00} s");
                Assert.True(newOwner == survivorId && killed.Elapsed < TimeSpan.FromSeconds(5), $"not re-owned in 5 s\n{cluster.Describe()}");
                Assert.Equal(line, await ColumnAsync(db, "SELECT call_id FROM cluster_calls WHERE queue = 'support' ORDER BY entered_at, entry"));

                await PostAsync(admin, cluster.Nodes[survivor], "api/agents/1001/resume");
                for (int i = 0; i < Callers; i++)
                {
                    int from = agent.Log.Count;
                    await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(10), from);
                    await Task.Delay(300);
                    await agent.HangupAsync();
                    await agent.WaitForLogAsync("terminate call", TimeSpan.FromSeconds(5), from);
                }
                var dispatched = await ColumnAsync(db, $"SELECT call_id FROM queue_dispatches WHERE owner = '{survivorId}' AND agent = '1001' ORDER BY id");
                string context = $"line {string.Join(", ", line)}\ndispatched {string.Join(", ", dispatched)}\n{cluster.Describe()}\n--- agent ---\n{agent.Log.Tail(30)}";
                output.WriteLine(context);
                Assert.Equal(line, dispatched); // the original order, by the new owner, once each
                var events = agent.Log.Snapshot().Where(l => l.Contains("Call established", StringComparison.Ordinal) || l.Contains("terminate call", StringComparison.Ordinal))
                    .Select(l => l.Contains("Call established", StringComparison.Ordinal) ? 'E' : 'T');
                Assert.True(string.Concat(events) == "ETETET", "agent calls overlapped\n" + context);
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

    private static async Task PostAsync(HttpClient admin, ServerProcess node, string path)
    {
        using HttpResponseMessage response = await admin.PostAsync(new Uri(node.HttpBase, path), null);
        Assert.True(response.IsSuccessStatusCode, $"{path} on {node.HttpBase}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<List<string>> ColumnAsync(NpgsqlDataSource db, string sql)
    {
        var rows = new List<string>();
        try
        {
            await using var command = db.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Not migrated yet.
        }
        return rows;
    }
}
