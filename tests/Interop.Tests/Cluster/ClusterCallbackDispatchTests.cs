using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;
using Telephony.Interop.Tests.Callbacks;
using Telephony.Interop.Tests.Ivr;
using Telephony.Recording.Tests.Storage;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// Callbacks are dispatched by the queue's owner too (src/Cluster/README.md, "Dispatch"): two nodes behind Kamailio share
/// <c>cluster.database</c>; one agent, 1001 (baresip registered with Kamailio), is logged in and paused. A web callback
/// is booked on node-a, then a trunk caller waits in <c>support</c> on node-b: both stand in one line (the callback a
/// <c>cluster_calls</c> row of kind <c>callback</c>). Once the agent resumes, the owner assigns the callback first (it
/// arrived first): node-a rings 1001 and then calls the customer (SIPp behind the trunk, who hangs up after 2 s); only
/// then is the caller on node-b assigned and rung. Never two offers at once. Then the order survives a takeover (one
/// cluster for both, to keep CI time): see <see cref="TakeoverKeepsTheOrderAsync"/>.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ClusterCallbackDispatchTests(ITestOutputHelper output)
{
    private readonly PortBlock[] blocks = [PortAllocator.For<ClusterCallbackDispatchTests>(), PortAllocator.For(typeof(ClusterCallbackDispatchTests).FullName + ".node-b")];

    [KamailioPostgresFact]
    public async Task A_callback_on_node_a_and_a_caller_on_node_b_reach_one_agent_one_at_a_time_in_line_order_also_after_a_takeover()
    {
        string schema = await TestPostgres.CreateSchemaAsync();
        string database = TestPostgres.ConnectionStringFor(schema);
        try
        {
            PortBlock ports = blocks[0];
            string config = IvrCalls.ConfigCopy("cluster-callbacks", q => CallbackCalls.FastQueues(q)
                .Replace("wrapUpSeconds: 1", "wrapUpSeconds: 0", StringComparison.Ordinal)
                .Replace("    survey: csat", "    survey: none", StringComparison.Ordinal));
            await using LocalCluster cluster = await LocalCluster.StartAsync(blocks, output, new Dictionary<string, string?>
            {
                ["TELEPHONY_IVR__CLOCK"] = IvrCalls.OpenClock,
                ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = config,
                ["TELEPHONY_CLUSTER__DATABASE"] = database,
                ["TELEPHONY_STORAGE__PROVIDER"] = "postgres", // shared storage: a survivor can adopt a dead node's callbacks
                ["TELEPHONY_STORAGE__CONNECTIONSTRING"] = database,
                ["TELEPHONY_TRUNKS__0__OUTBOUND__PORT"] = ports.PeerSip(2).ToString(CultureInfo.InvariantCulture),
            });
            await using var db = NpgsqlDataSource.Create(database);
            string dir = RepoPaths.NewTempDirectory("cluster-callbacks");
            await using BaresipPeer agent = await BaresipPeer.StartAsync(new BaresipOptions
            {
                Name = "1001", SipPort = ports.PeerSip(1), ControlPort = ports.PeerSip(1) + 2, RtpPortMin = ports.PeerMedia(1),
                Account = BaresipPeer.AccountLine("1001", cluster.Kamailio.HostPort, Engine.Engine.Password("1001"), autoAnswer: true, registerSeconds: 600),
                AudioSourceWav = TestAudio.Tone(1000, 60, Path.Combine(dir, "tone.wav")), QuitAfter = TimeSpan.FromSeconds(90),
            }, output);
            await agent.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
            await using SippProcess customer = await CallbackCalls.StartCustomerAsync(ports, 2, dir, "uas-trunk-answer",
                new Dictionary<string, string> { ["@HOLD_MS@"] = "2000" }, timeout: TimeSpan.FromSeconds(40));

            using HttpClient admin = AuthenticatedHttp.Create(TimeSpan.FromSeconds(10));
            foreach (ServerProcess node in cluster.Nodes)
            {
                await node.WaitForLogAsync("Cluster bus: listening", TimeSpan.FromSeconds(10));
            }
            await PostAsync(admin, cluster.Nodes[0], "api/agents/1001/login");
            await PostAsync(admin, cluster.Nodes[0], "api/agents/1001/pause?reason=break");
            bool pausedOnB = await ClusterDb.WaitForAsync(async () =>
                (await admin.GetStringAsync(new Uri(cluster.Nodes[1].HttpBase, "api/agents/1001"))).Contains("\"break\"", StringComparison.Ordinal)
                    ? (bool?)true : null, TimeSpan.FromSeconds(5)) ?? false;
            Assert.True(pausedOnB, "node-b did not take the pause from node-a\n" + cluster.Describe());

            var booked = await CallbackCalls.PostAsync(cluster.Nodes[0], CallbackCalls.SampleKey, new { number = CallbackCalls.Customer });
            Assert.True(booked.Status == HttpStatusCode.Accepted, $"{booked.Status} {booked.Body}");
            string callbackId = booked.Body.GetProperty("id").GetString()!;
            await Task.Delay(300); // the caller arrives after the callback
            await using SippProcess caller = SippProcess.Start(ClusterDb.SupportCaller(cluster, 1, ports, 3, "+15550000093", 30));

            var line = await ClusterDb.WaitForAsync(async () =>
            {
                var rows = await RowsAsync(db, "SELECT call_id, node, coalesce(kind, 'caller') FROM cluster_calls WHERE queue = 'support' ORDER BY entered_at, entry");
                return rows.Count == 2 ? rows : null;
            }, TimeSpan.FromSeconds(15));
            Assert.True(line is not null, $"the callback and the caller are not both in the line\n{cluster.Describe()}");
            output.WriteLine("line: " + string.Join(", ", line.Select(l => $"{l.Id}@{l.Node} ({l.Kind})")));
            Assert.Equal((callbackId, "node-a", "callback"), line[0]);
            Assert.Equal(("node-b", "caller"), (line[1].Node, line[1].Kind));
            Assert.Empty(await RowsAsync(db, "SELECT call_id, agent, owner FROM queue_dispatches"));

            try
            {
                await PostAsync(admin, cluster.Nodes[0], "api/agents/1001/resume");
                int from = agent.Log.Count;
                await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(10), from); // the callback: agent first
                await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(15), from); // the customer hung up after 2 s
                from = agent.Log.Count;
                await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(10), from); // then the caller on node-b
                await Task.Delay(500);
                await agent.HangupAsync();
                await agent.WaitForLogAsync("terminate call", TimeSpan.FromSeconds(5), from);

            }
            catch (TimeoutException)
            {
                output.WriteLine($"{cluster.Nodes[0].Log.Tail(80)}\n--- node-b ---\n{cluster.Nodes[1].Log.Tail(60)}");
                throw;
            }
            SippResult customerCall = await customer.WaitAsync();
            var dispatches = await RowsAsync(db, "SELECT call_id, agent, owner FROM queue_dispatches ORDER BY id");
            string context = $"dispatches: {string.Join(", ", dispatches)}\ncustomer:\n{customerCall.Describe()}\n{cluster.Describe()}\n--- agent ---\n{agent.Log.Tail(40)}";
            output.WriteLine(context);
            Assert.True(customerCall.Succeeded, "the customer's call failed\n" + context);
            Assert.Equal(line.Select(l => l.Id), dispatches.Select(d => d.Id)); // once each, in line order
            Assert.All(dispatches, d => Assert.Equal("1001", d.Node));
            // Never two calls at once: established and ended alternate on the agent's phone (a call ends remotely, "terminated",
            // or by the agent, "terminate call").
            string events = string.Concat(agent.Log.Snapshot().Where(l => l.Contains("Call established", StringComparison.Ordinal) || l.Contains("terminate", StringComparison.Ordinal))
                .Select(l => l.Contains("Call established", StringComparison.Ordinal) ? 'E' : 'T'));
            while (events.Contains("TT", StringComparison.Ordinal))
            {
                events = events.Replace("TT", "T", StringComparison.Ordinal);
            }
            Assert.True(events == "ETET", $"agent calls overlapped: {events}\n{context}");
            Assert.Equal(1, cluster.Nodes[0].Log.CountOf($"ready, calling {CallbackCalls.Customer} via trunk"));
            Assert.Equal(0, cluster.Nodes[1].Log.CountOf($"ready, calling {CallbackCalls.Customer} via trunk"));
            Assert.True(cluster.Nodes[1].Log.Contains("bridged to agent 1001"), "node-b did not bridge its caller\n" + context);

            await TakeoverKeepsTheOrderAsync(cluster, db, agent, admin, ports);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            TestPostgres.DropSchema(schema);
        }
    }

    /// <summary>
    /// The line survives its owner: three trunk callers wait in <c>support</c> with their media on the node that does not own
    /// it, the agent paused, and after them a web callback is booked on the owner. The owner is killed (<c>kill -9</c>): the
    /// survivor owns <c>support</c> within 5 s and adopts the dead node's pending callback; the agent resumes, and the new
    /// owner assigns the callers one at a time in their original arrival order, then the callback, which the survivor
    /// completes (the customer is called through the trunk).
    /// </summary>
    private async Task TakeoverKeepsTheOrderAsync(LocalCluster cluster, NpgsqlDataSource db, BaresipPeer agent, HttpClient admin, PortBlock ports)
    {
        string owner = await ClusterDb.SupportOwnerAsync(db, cluster);
        int victim = owner == "node-a" ? 0 : 1, survivor = 1 - victim;
        string survivorId = survivor == 0 ? "node-a" : "node-b";
        await PostAsync(admin, cluster.Nodes[survivor], "api/agents/1001/pause?reason=break");
        long before = await ClusterDb.ScalarAsync<long>(db, "SELECT coalesce(max(id), 0) FROM queue_dispatches");
        string[] numbers = ["+15550000081", "+15550000082", "+15550000083"];
        int[] peers = [4, 5, 0];
        var callers = new List<SippProcess>();
        try
        {
            for (int i = 0; i < numbers.Length; i++)
            {
                callers.Add(SippProcess.Start(ClusterDb.SupportCaller(cluster, survivor, ports, peers[i], numbers[i], 30)));
                // Each caller in line before the next one dials (an IVR under load may otherwise swap two close arrivals).
                int expected = i + 1;
                bool waiting = await ClusterDb.WaitForAsync(async () => (await RowsAsync(db,
                    "SELECT call_id, node, caller FROM cluster_calls WHERE queue = 'support' AND kind IS NULL")).Count == expected ? (bool?)true : null,
                    TimeSpan.FromSeconds(15)) ?? false;
                Assert.True(waiting, $"caller {numbers[i]} is not waiting in support\n{cluster.Describe()}");
            }
            var booked = await CallbackCalls.PostAsync(cluster.Nodes[victim], CallbackCalls.SampleKey, new { number = OrphanCustomer });
            Assert.True(booked.Status == HttpStatusCode.Accepted, $"{booked.Status} {booked.Body}");
            string callbackId = booked.Body.GetProperty("id").GetString()!;
            await using SippProcess customer = await CallbackCalls.StartCustomerAsync(ports, 2, RepoPaths.NewTempDirectory("cluster-orphan-callback"),
                "uas-trunk-answer", new Dictionary<string, string> { ["@HOLD_MS@"] = "1500" }, timeout: TimeSpan.FromSeconds(40));
            await AnsweredInOrderAfterTheKillAsync(cluster, db, agent, admin, victim, survivor, numbers, before, callbackId);
            SippResult called = await customer.WaitAsync();
            Assert.True(called.Succeeded, "the adopted callback's customer call failed\n" + called.Describe());
            var status = await CallbackCalls.WaitForStatusAsync(cluster.Nodes[survivor], callbackId, "Completed", TimeSpan.FromSeconds(10));
            output.WriteLine("adopted callback: " + status);
        }
        finally
        {
            foreach (SippProcess caller in callers)
            {
                await caller.DisposeAsync();
            }
        }
    }

    private async Task AnsweredInOrderAfterTheKillAsync(LocalCluster cluster, NpgsqlDataSource db, BaresipPeer agent, HttpClient admin,
        int victim, int survivor, string[] numbers, long before, string callbackId)
    {
        string owner = victim == 0 ? "node-a" : "node-b", survivorId = survivor == 0 ? "node-a" : "node-b";
        var line = await ClusterDb.WaitForAsync(async () =>
        {
            var rows = await RowsAsync(db, "SELECT call_id, node, coalesce(caller, kind) FROM cluster_calls WHERE queue = 'support' ORDER BY entered_at, entry");
            return rows.Count == numbers.Length + 1 ? rows : null;
        }, TimeSpan.FromSeconds(15));
        Assert.True(line is not null, $"the callers and the callback are not all waiting in support\n{cluster.Describe()}");
        Assert.Equal(numbers, line.Take(numbers.Length).Select(l => l.Kind));
        Assert.Equal((callbackId, owner), (line[^1].Id, line[^1].Node)); // the callback, held by the node about to die

        var killed = Stopwatch.StartNew();
        cluster.Nodes[victim].Kill();
        string? newOwner = await ClusterDb.WaitForAsync(() => ClusterDb.ScalarAsync<string>(db,
            $"SELECT owner FROM queue_leases WHERE queue = 'support' AND owner = '{survivorId}' AND expires_at > now()"), TimeSpan.FromSeconds(8));
        TimeSpan reOwned = killed.Elapsed;
        output.WriteLine($"support re-owned by {newOwner} {reOwned.TotalSeconds:0.00} s after the kill of {owner}");
        Assert.True(newOwner == survivorId && reOwned < TimeSpan.FromSeconds(5), $"not re-owned within 5 s\n{cluster.Describe()}");

        await PostAsync(admin, cluster.Nodes[survivor], "api/agents/1001/resume");
        for (int i = 0; i < numbers.Length; i++)
        {
            int from = agent.Log.Count;
            await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(10), from);
            await Task.Delay(300);
            await agent.HangupAsync();
            await agent.WaitForLogAsync("terminate call", TimeSpan.FromSeconds(5), from);
        }
        int last = agent.Log.Count; // then the dead node's callback, adopted by the survivor: agent first, then the customer
        try
        {
            await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15), last);
            await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(15), last);
        }
        catch (TimeoutException)
        {
            var rows = await RowsAsync(db, $"SELECT call_id, owner, agent FROM queue_dispatches WHERE id > {before} ORDER BY id");
            output.WriteLine($"dispatched {string.Join(", ", rows)}\n--- survivor ---\n{cluster.Nodes[survivor].Log.Tail(80)}");
            throw;
        }
        var dispatched = await RowsAsync(db, $"SELECT call_id, owner, agent FROM queue_dispatches WHERE id > {before} ORDER BY id");
        string context = $"line {string.Join(", ", line)}\ndispatched {string.Join(", ", dispatched)}\n{cluster.Describe()}\n--- agent ---\n{agent.Log.Tail(30)}";
        output.WriteLine(context);
        Assert.Equal(line.Select(l => l.Id), dispatched.Select(d => d.Id)); // the original order, once each, the callback last
        Assert.All(dispatched, d => Assert.Equal((survivorId, "1001"), (d.Node, d.Kind))); // by the new owner
        Assert.True(cluster.Nodes[survivor].Log.Contains($"ready, calling {OrphanCustomer} via trunk"), "the survivor did not call the customer back\n" + context);
    }

    /// <summary>The customer of the callback booked on the node that is killed (another number: one request per number).</summary>
    private const string OrphanCustomer = "+15550000095";

    private static Task PostAsync(HttpClient admin, ServerProcess node, string path) => ClusterDb.PostOkAsync(admin, node, path);

    private static async Task<List<(string Id, string Node, string Kind)>> RowsAsync(NpgsqlDataSource db, string sql) => await ClusterDb.RowsAsync(db, sql);
}
