using System.Diagnostics;
using Npgsql;
using static Telephony.Interop.Tests.Cluster.ClusterDb;
using Telephony.Recording.Tests.Storage;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// <c>kill -9</c> of the node that owns a queue while a caller waits in it there: the two nodes share a fresh schema of
/// the <c>TELEPHONY_TEST_POSTGRES</c> server for storage and <c>cluster.database</c>. A trunk caller reaches the owner
/// of <c>support</c> (directly: which node takes a call is Kamailio's business, tested elsewhere), presses 2 and waits
/// (no agent is logged in); its place is in <c>cluster_calls</c>. The owner is killed: the survivor owns <c>support</c>
/// in under 5 s (3 s lease renewed every second), and, the dead node being silent for 3 s, takes its calls: the call
/// record is closed as interrupted, the caller gets a pending callback at their original place (entry time) and a
/// <c>cluster_caller_lost</c> alert.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private readonly PortBlock[] blocks = [PortAllocator.For<ClusterFailoverTests>(), PortAllocator.For(typeof(ClusterFailoverTests).FullName + ".node-b")];

    [KamailioPostgresFact]
    public async Task Killed_owner_s_queue_is_re_owned_in_under_5_s_and_its_waiting_caller_gets_a_callback_at_their_place_and_an_alert()
    {
        string schema = await TestPostgres.CreateSchemaAsync();
        string database = TestPostgres.ConnectionStringFor(schema);
        try
        {
            await using LocalCluster cluster = await LocalCluster.StartAsync(blocks, output, SharedDatabase(database));
            await using var db = NpgsqlDataSource.Create(database);
            string owner = await SupportOwnerAsync(db, cluster);
            int victim = owner == "node-a" ? 0 : 1;
            string survivor = victim == 0 ? "node-b" : "node-a";
            ServerProcess node = cluster.Nodes[victim];
            await using SippProcess sipp = SippProcess.Start(SupportCaller(cluster, victim, blocks[0], 0, "+15550000777", 40));

            // The caller waits in support on the owner: its row carries the node and its place.
            var waiting = await WaitForAsync(() => RowAsync(db,
                "SELECT call_id, node, entered_at FROM cluster_calls WHERE queue = 'support' AND caller = '+15550000777'"), TimeSpan.FromSeconds(20));
            Assert.True(waiting is not null, "the caller never waited in support\n" + cluster.Describe());
            var (callId, landedOn, enteredAt) = ((string)waiting[0], (string)waiting[1], (long)waiting[2]);
            Assert.Equal(owner, landedOn);

            var killed = Stopwatch.StartNew();
            node.Kill(); // SIGKILL: no lease release, no goodbye
            string? newOwner = await WaitForAsync(() => ScalarAsync<string>(db,
                $"SELECT owner FROM queue_leases WHERE queue = 'support' AND owner = '{survivor}' AND expires_at > now()"), TimeSpan.FromSeconds(8));
            TimeSpan reOwned = killed.Elapsed;
            var callback = await WaitForAsync(() => RowAsync(db,
                "SELECT id, status, arrived_at, number FROM callbacks WHERE original_call_id = @id", callId), TimeSpan.FromSeconds(10));
            TimeSpan calledBack = killed.Elapsed;
            var alert = await WaitForAsync(() => RowAsync(db, "SELECT kind FROM alerts WHERE kind = 'cluster_caller_lost' AND call_id = @id", callId),
                TimeSpan.FromSeconds(5));
            string? outcome = await WaitForAsync(() => ScalarAsync<string>(db,
                "SELECT outcome || ' / ' || hangup_cause || ' / ' || node FROM calls WHERE id = @id AND ended_at IS NOT NULL", callId),
                TimeSpan.FromSeconds(5));
            output.WriteLine($"support re-owned by {newOwner} {reOwned.TotalSeconds:0.00} s after the kill; callback after {calledBack.TotalSeconds:0.00} s");
            string context = cluster.Describe();
            Assert.True(newOwner == survivor && reOwned < TimeSpan.FromSeconds(5),
                $"support should be re-owned by {survivor} within 5 s: {newOwner} after {reOwned.TotalSeconds:0.00} s\n{context}");
            Assert.True(callback is not null, "no callback for the lost caller\n" + context);
            Assert.Equal(("Pending", enteredAt, "+15550000777"), ((string)callback[1], (long)callback[2], (string)callback[3]));
            Assert.True(alert is not null, "no cluster_caller_lost alert\n" + context);
            Assert.Equal($"Interrupted / node {owner} lost / {owner}", outcome); // closed by the survivor, naming the dead node
            Assert.True(cluster.Nodes[1 - victim].Log.Contains("1 called back at their place"), "survivor did not log the recovery\n" + context);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            TestPostgres.DropSchema(schema);
        }
    }
}
