using System.Diagnostics;
using Npgsql;
using Telephony.Recording.Tests.Storage;
using static Telephony.Interop.Tests.Cluster.ClusterDb;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// <c>kill -9</c> of a node under load (issue 16): two nodes behind Kamailio share a fresh PostgreSQL schema for storage
/// and <c>cluster.database</c>. SIPp sends 200 trunk calls to the echo number through Kamailio at 50 calls/s, each held
/// 8 s, so about 200 are up across both nodes, and one caller waits in <c>support</c> on the node that owns it. That
/// owner is killed once the load is up. Then: a second wave of 200 calls at 50/s started at the kill all connect
/// (Kamailio's failure_route and probing keep new calls off the dead node); <c>support</c> is re-owned by the survivor
/// in under 5 s; the waiting caller gets a pending callback; no call record is lost: every call of both waves has its
/// row, the killed node's calls are closed <c>Interrupted</c> with cause <c>node &lt;id&gt; lost</c>, and the survivor's
/// are <c>Answered</c>. No media is sent by the load (signalling, call records and recordings; audio through the
/// cluster is checked in <see cref="ClusterCallTests"/>).
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ClusterKillUnderLoadTests(ITestOutputHelper output)
{
    private const int WaveCalls = 200;
    private const double CallsPerSecond = 50;

    private readonly PortBlock[] blocks = [PortAllocator.For<ClusterKillUnderLoadTests>(), PortAllocator.For(typeof(ClusterKillUnderLoadTests).FullName + ".node-b")];

    [KamailioPostgresFact]
    public async Task Killing_a_node_under_200_calls_fails_no_new_call_and_loses_no_call_record()
    {
        string schema = await TestPostgres.CreateSchemaAsync();
        string database = TestPostgres.ConnectionStringFor(schema);
        try
        {
            await using LocalCluster cluster = await LocalCluster.StartAsync(blocks, output, SharedDatabase(database),
                rtpPortsPerNode: 1000); // 500 calls a node: the survivor holds its wave-1 calls and most of wave 2
            await using var db = NpgsqlDataSource.Create(database);
            string owner = await SupportOwnerAsync(db, cluster);
            int victim = owner == "node-a" ? 0 : 1;
            string survivor = victim == 0 ? "node-b" : "node-a";
            ServerProcess node = cluster.Nodes[victim];

            // One caller waits in support on the owner (no agent is logged in).
            await using SippProcess waiting = SippProcess.Start(SupportCaller(cluster, victim, blocks[0], 0, "+15550000778", 60));
            var waitingRow = await WaitForAsync(() => RowAsync(db,
                "SELECT call_id, entered_at FROM cluster_calls WHERE queue = 'support' AND caller = '+15550000778'"), TimeSpan.FromSeconds(20));
            Assert.True(waitingRow is not null, "the caller never waited in support\n" + cluster.Describe());
            var (waitingCallId, enteredAt) = ((string)waitingRow[0], (long)waitingRow[1]);

            // Wave 1: 200 calls at 50/s held 8 s; the kill comes once every one of them has its call record.
            await using SippProcess first = SippProcess.Start(Wave(cluster, blocks[0].PeerSip(1), blocks[0].PeerMedia(1), holdSeconds: 8));
            long records = await WaitForAsync(async () => await ScalarAsync<long>(db, "SELECT count(*) FROM calls") is var n
                && n >= WaveCalls + 1 ? n : (long?)null, TimeSpan.FromSeconds(12)) ?? 0;
            Assert.True(records == WaveCalls + 1, $"wave 1 did not come up: {records} call records\n{cluster.Describe()}");
            long onVictim = await ScalarAsync<long>(db, $"SELECT count(*) FROM calls WHERE node = '{owner}' AND ended_at IS NULL");
            output.WriteLine($"{records} calls up, {onVictim} of them on {owner} (with the waiting caller); killing {owner}");

            var killed = Stopwatch.StartNew();
            node.Kill(); // SIGKILL under load
            // Wave 2, from the kill on: every call must connect and end normally.
            Task<SippResult> secondWave = Sipp.RunAsync(Wave(cluster, blocks[0].PeerSip(2), blocks[0].PeerMedia(2), holdSeconds: 2));
            string? newOwner = await WaitForAsync(() => ScalarAsync<string>(db,
                $"SELECT owner FROM queue_leases WHERE queue = 'support' AND owner = '{survivor}' AND expires_at > now()"), TimeSpan.FromSeconds(8));
            TimeSpan reOwned = killed.Elapsed;
            SippResult second = await secondWave;
            SippResult firstResult = await first.WaitAsync();
            output.WriteLine($"support re-owned by {newOwner} {reOwned.TotalSeconds:0.00} s after the kill");
            output.WriteLine($"wave 2: {second.Describe()}");
            output.WriteLine($"wave 1 (its calls on {owner} were cut): {firstResult.Describe()}");

            string context = cluster.Describe() + "\n--- kamailio errors ---\n" + string.Join('\n',
                cluster.Kamailio.Log.Snapshot().Where(l => l.Contains("ERROR", StringComparison.Ordinal)).Take(20));
            Assert.True(second.Succeeded, $"a new call failed after the kill\n{second.Describe()}\n{context}");
            Assert.True(newOwner == survivor && reOwned < TimeSpan.FromSeconds(5),
                $"support should be re-owned by {survivor} within 5 s: {newOwner} after {reOwned.TotalSeconds:0.00} s\n{context}");

            var callback = await WaitForAsync(() => RowAsync(db,
                "SELECT status, arrived_at FROM callbacks WHERE original_call_id = @id", waitingCallId), TimeSpan.FromSeconds(5));
            Assert.True(callback is not null, "no callback for the waiting caller of the killed node\n" + context);
            Assert.Equal(("Pending", enteredAt), ((string)callback[0], (long)callback[1]));

            // No call record lost: 2 waves + the waiting caller, none left open, the killed node's closed by the survivor.
            long open = await WaitForAsync(async () => await ScalarAsync<long>(db, "SELECT count(*) FROM calls WHERE ended_at IS NULL") is var n
                && n == 0 ? 0L : (long?)null, TimeSpan.FromSeconds(10)) ?? await ScalarAsync<long>(db, "SELECT count(*) FROM calls WHERE ended_at IS NULL");
            long total = await ScalarAsync<long>(db, "SELECT count(*) FROM calls");
            long interrupted = await ScalarAsync<long>(db,
                $"SELECT count(*) FROM calls WHERE node = '{owner}' AND outcome = 'Interrupted' AND hangup_cause = 'node {owner} lost'");
            long answeredOnSurvivor = await ScalarAsync<long>(db, $"SELECT count(*) FROM calls WHERE node = '{survivor}' AND outcome = 'Answered'");
            output.WriteLine($"{total} call records: {interrupted} interrupted on {owner}, {answeredOnSurvivor} answered on {survivor}, {open} open");
            Assert.Equal(0, open);
            Assert.Equal((2 * WaveCalls) + 1, total);
            Assert.Equal(onVictim, interrupted);
            Assert.Equal(total - interrupted, answeredOnSurvivor);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            TestPostgres.DropSchema(schema);
        }
    }

    private static SippOptions Wave(LocalCluster cluster, int sipPort, int mediaPort, double holdSeconds) => new()
    {
        Scenario = Path.Combine(RepoPaths.Root, "bench", "cluster", "uac-routed.xml"),
        Remote = cluster.Kamailio.HostPort,
        Service = Engine.Engine.EchoNumber,
        LocalAddress = Engine.Engine.TrunkAddress,
        LocalPort = sipPort,
        MediaPort = mediaPort,
        Calls = WaveCalls,
        Limit = WaveCalls,
        Rate = CallsPerSecond,
        DefaultPause = TimeSpan.FromSeconds(holdSeconds),
        Timeout = TimeSpan.FromSeconds(40),
        RecvTimeout = TimeSpan.FromSeconds(5),
    };
}
