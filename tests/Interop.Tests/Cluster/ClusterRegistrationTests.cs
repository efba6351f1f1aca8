using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;
using Telephony.Recording.Tests.Storage;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// <c>loginOnRegister</c> behind Kamailio: Kamailio writes its registrations through to the cluster database
/// (<c>USRLOC_DB_URL</c>, table of <c>deploy/kamailio/location-postgres.sql</c>) and both nodes follow that table
/// (<c>cluster.locationTable</c>). Agent 1001 registering through Kamailio becomes Available on node-a and node-b;
/// unregistering makes it LoggedOut on both. Needs <c>kamailio-postgres-modules</c> (db_postgres.so; scripts/test.sh installs it).
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ClusterRegistrationTests(ITestOutputHelper output)
{
    private readonly PortBlock[] blocks = [PortAllocator.For<ClusterRegistrationTests>(), PortAllocator.For(typeof(ClusterRegistrationTests).FullName + ".node-b")];

    [KamailioPostgresFact]
    public async Task Agent_registering_through_kamailio_is_logged_in_on_every_node_and_out_when_it_unregisters()
    {
        var server = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString);
        string database = "edge_loc_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..12];
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE {database};");
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database };
        try
        {
            await ExecuteAsync(builder.ConnectionString,
                await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "kamailio", "location-postgres.sql")));
            string password = string.IsNullOrEmpty(builder.Password) ? "" : ":" + Uri.EscapeDataString(builder.Password);
            string url = $"postgres://{builder.Username}{password}@{builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{database}";
            await using LocalCluster cluster = await LocalCluster.StartAsync(blocks, output,
                new Dictionary<string, string?>
                {
                    ["TELEPHONY_CLUSTER__DATABASE"] = builder.ConnectionString,
                    ["TELEPHONY_CLUSTER__LOCATIONTABLE"] = "location",
                }, kamailioDefines: [$"USRLOC_DB_URL=\"{url}\""]);
            using HttpClient admin = AuthenticatedHttp.Create(TimeSpan.FromSeconds(10));
            foreach (ServerProcess node in cluster.Nodes)
            {
                await node.WaitForLogAsync("Following Kamailio's registrations", TimeSpan.FromSeconds(15));
            }

            var edge = new IPEndPoint(IPAddress.Parse(cluster.Kamailio.Address), cluster.Kamailio.Port);
            using var phone = new RawSipClient(edge, blocks[0].PeerSip(0), "127.0.0.1");
            List<string> finals = await phone.RegisterAsync("1001", "pass1001", 60, domain: cluster.Kamailio.Address, timeout: TimeSpan.FromSeconds(5));
            Assert.True(finals.Count > 0 && SipText.StatusCode(finals[^1]) == 200, $"REGISTER through Kamailio\n{cluster.Describe()}");
            await ExpectStateAsync(admin, cluster, "Available");

            finals = await phone.RegisterAsync("1001", "pass1001", 0, domain: cluster.Kamailio.Address, timeout: TimeSpan.FromSeconds(5));
            Assert.True(finals.Count > 0 && SipText.StatusCode(finals[^1]) == 200, $"unREGISTER through Kamailio\n{cluster.Describe()}");
            await ExpectStateAsync(admin, cluster, "LoggedOut");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE);");
        }
    }

    private static async Task ExpectStateAsync(HttpClient admin, LocalCluster cluster, string expected)
    {
        for (int i = 0; i < cluster.Nodes.Count; i++)
        {
            string? state = null;
            for (var until = DateTime.UtcNow + TimeSpan.FromSeconds(6); state != expected && DateTime.UtcNow < until; await Task.Delay(100))
            {
                using JsonDocument agent = JsonDocument.Parse(await admin.GetStringAsync(new Uri(cluster.Nodes[i].HttpBase, "api/agents/1001")));
                state = agent.RootElement.GetProperty("state").GetString();
            }
            Assert.True(state == expected, $"agent 1001 on node {i}: {state}, expected {expected}\n{cluster.Describe()}");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
