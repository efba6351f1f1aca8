using System.Globalization;
using System.Text.Json;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// <c>deploy/cluster/up.sh</c> in C#: Kamailio on 127.0.0.10 in front of two real Telephony nodes, node-a on 127.0.0.11
/// and node-b on 127.0.0.12 (SIP and RTP; HTTP on 127.0.0.1 at each node's own port block), each with its own data
/// folder, <c>cluster.nodeId</c>, <c>cluster.proxy</c> = Kamailio and Kamailio trusted like the sample trunk. Ready when
/// both nodes answer /health and Kamailio's OPTIONS probe has marked both active.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public const string ProxyAddress = "127.0.0.10";
    public static readonly string[] NodeAddresses = ["127.0.0.11", "127.0.0.12"];

    private LocalCluster(KamailioProcess kamailio, ServerProcess[] nodes)
    {
        Kamailio = kamailio;
        Nodes = nodes;
    }

    public KamailioProcess Kamailio { get; }

    /// <summary>node-a, node-b.</summary>
    public IReadOnlyList<ServerProcess> Nodes { get; }

    /// <summary>The dispatcher URI of node <paramref name="index"/> (<c>sip:127.0.0.11:port</c>).</summary>
    public string NodeUri(int index) => $"sip:{NodeAddresses[index]}:{Nodes[index].Ports.Sip.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Starts Kamailio on <paramref name="blocks"/>[0]'s SIP port (on 127.0.0.10) and one node per block.
    /// <paramref name="rtpPortsPerNode"/>: a wider RTP range than the block's 100 ports (50 calls), for load: node i
    /// takes <c>TELEPHONY_TEST_PORT_BASE − 10000 + i × 1000</c> on, on its own address, where no other test binds.</summary>
    public static async Task<LocalCluster> StartAsync(IReadOnlyList<PortBlock> blocks, ITestOutputHelper output,
        IReadOnlyDictionary<string, string?>? extraEnvironment = null, int? rtpPortsPerNode = null, IReadOnlyList<string>? kamailioDefines = null)
    {
        var starting = blocks.Select((block, i) => ServerProcess.StartAsync(block, output, new Dictionary<string, string?>(extraEnvironment ?? new Dictionary<string, string?>())
        {
            ["TELEPHONY_RTP__PORTMIN"] = Inv(rtpPortsPerNode is null ? block.RtpMin : PortAllocator.FirstBase - 10000 + (i * 1000)),
            ["TELEPHONY_RTP__PORTMAX"] = Inv(rtpPortsPerNode is int ports ? PortAllocator.FirstBase - 10000 + (i * 1000) + Math.Min(ports, 1000) - 1 : block.RtpMax),
            ["TELEPHONY_SIP__ADDRESS"] = NodeAddresses[i],
            ["TELEPHONY_RTP__ADDRESS"] = NodeAddresses[i],
            ["TELEPHONY_CLUSTER__NODEID"] = "node-" + (char)('a' + i),
            ["TELEPHONY_CLUSTER__PROXY"] = $"{ProxyAddress}:{blocks[0].Sip.ToString(CultureInfo.InvariantCulture)}",
            ["TELEPHONY_TRUNKS__0__ALLOWFROM__0"] = "127.0.0.2",
            ["TELEPHONY_TRUNKS__0__ALLOWFROM__1"] = ProxyAddress,
        })).ToList();
        ServerProcess[] nodes;
        try
        {
            nodes = await Task.WhenAll(starting).ConfigureAwait(false);
        }
        catch
        {
            foreach (var task in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await task.Result.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
        KamailioProcess kamailio;
        try
        {
            kamailio = await KamailioProcess.StartAsync(ProxyAddress, blocks[0].Sip,
                [.. nodes.Select((n, i) => $"{NodeAddresses[i]}:{n.Ports.Sip.ToString(CultureInfo.InvariantCulture)}")], kamailioDefines).ConfigureAwait(false);
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
        var cluster = new LocalCluster(kamailio, nodes);
        if (!await kamailio.WaitForStatesAsync(s => s.Count == nodes.Length && s.Values.All(v => v == "AP"), TimeSpan.FromSeconds(15)).ConfigureAwait(false))
        {
            string states = string.Join(", ", (await kamailio.DispatcherStatesAsync().ConfigureAwait(false)).Select(kv => $"{kv.Key}={kv.Value}"));
            string log = kamailio.Log.Tail(30);
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Kamailio did not mark both nodes active: {states}\n{log}");
        }
        return cluster;
    }

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>totalCalls</c> from node <paramref name="index"/>'s /health.</summary>
    public async Task<long> TotalCallsAsync(int index)
    {
        (int status, string body) = await Nodes[index].GetHealthAsync().ConfigureAwait(false);
        Assert.Equal(200, status);
        using JsonDocument doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("totalCalls").GetInt64();
    }

    /// <summary>Node, Kamailio and dispatcher logs for assertion messages.</summary>
    public string Describe() =>
        $"--- kamailio ---\n{Kamailio.Log.Tail(40)}\n" + string.Join('\n', Nodes.Select((n, i) => $"--- node {i} ---\n{n.Log.Tail(25)}"));

    public async ValueTask DisposeAsync()
    {
        await Kamailio.DisposeAsync().ConfigureAwait(false);
        foreach (var node in Nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
