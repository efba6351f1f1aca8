using System.Globalization;
using Npgsql;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>A cluster on one shared PostgreSQL schema (storage and <c>cluster.database</c>) and its reads for assertions:
/// the nodes' environment, the owner of <c>support</c>, a caller waiting there, a scalar, a row, a poll.</summary>
internal static class ClusterDb
{
    /// <summary>Both nodes store in <paramref name="database"/> and use it as <c>cluster.database</c>; the IVR is open.</summary>
    public static Dictionary<string, string?> SharedDatabase(string database) => new()
    {
        ["TELEPHONY_IVR__CLOCK"] = IvrCalls.OpenClock,
        ["TELEPHONY_STORAGE__PROVIDER"] = "postgres",
        ["TELEPHONY_STORAGE__CONNECTIONSTRING"] = database,
        ["TELEPHONY_CLUSTER__DATABASE"] = database,
    };

    /// <summary>The node id holding the lease of <c>support</c> (waits up to 10 s for the first owner).</summary>
    public static async Task<string> SupportOwnerAsync(NpgsqlDataSource db, LocalCluster cluster) =>
        await WaitForAsync(() => ScalarAsync<string>(db, "SELECT owner FROM queue_leases WHERE queue = 'support' AND expires_at > now()"),
            TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException("nobody owns support\n" + cluster.Describe());

    /// <summary>A trunk caller sent straight to node <paramref name="node"/> who presses 2 during the welcome and waits
    /// in <c>support</c> up to <paramref name="holdSeconds"/> (SIPp peer <paramref name="peer"/> of <paramref name="block"/>).</summary>
    public static SippOptions SupportCaller(LocalCluster cluster, int node, PortBlock block, int peer, string from, double holdSeconds)
    {
        string dir = RepoPaths.NewTempDirectory("cluster-caller");
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary hold = IvrCalls.Keys(dir, 0.5, "", "hold.pcap");
        ServerProcess server = cluster.Nodes[node];
        return IvrCalls.Caller(server, block.PeerSip(peer), block.PeerMedia(peer), from, keys, keys.DurationSeconds + 1, hold, holdSeconds) with
        {
            Remote = $"{LocalCluster.NodeAddresses[node]}:{server.Ports.Sip.ToString(CultureInfo.InvariantCulture)}",
        };
    }

    /// <summary>Polls <paramref name="probe"/> every 100 ms until it returns a value (tables not migrated yet count as
    /// none) or <paramref name="timeout"/> passes (then default).</summary>
    public static async Task<T?> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await probe() is { } found)
                {
                    return found;
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // Not migrated yet.
            }
            if (DateTime.UtcNow >= until)
            {
                return default;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The first column of the first row, or default (<c>@id</c> bound to <paramref name="id"/> when given).</summary>
    public static async Task<T?> ScalarAsync<T>(NpgsqlDataSource db, string sql, string? id = null)
    {
        await using var command = db.CreateCommand(sql);
        if (id is not null)
        {
            command.Parameters.AddWithValue("id", id);
        }
        return await command.ExecuteScalarAsync() is T value ? value : default;
    }

    /// <summary>The first row, or null.</summary>
    public static async Task<object[]?> RowAsync(NpgsqlDataSource db, string sql, string? id = null)
    {
        await using var command = db.CreateCommand(sql);
        if (id is not null)
        {
            command.Parameters.AddWithValue("id", id);
        }
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }
        var row = new object[reader.FieldCount];
        reader.GetValues(row);
        return row;
    }

    /// <summary>The rows of a three-text-column query (NULL as ""), none while the table does not exist yet.</summary>
    public static async Task<List<(string A, string B, string C)>> RowsAsync(NpgsqlDataSource db, string sql)
    {
        var rows = new List<(string, string, string)>();
        try
        {
            await using var command = db.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? "" : reader.GetString(2)));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Not migrated yet.
        }
        return rows;
    }

    /// <summary>POSTs <paramref name="path"/> (no body) to <paramref name="node"/> and asserts a 2xx.</summary>
    public static async Task PostOkAsync(HttpClient client, ServerProcess node, string path)
    {
        using HttpResponseMessage response = await client.PostAsync(new Uri(node.HttpBase, path), null);
        Assert.True(response.IsSuccessStatusCode, $"{path} on {node.HttpBase}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
