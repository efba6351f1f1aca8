using System.Text.Json;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Interop.Tests.Ivr;

/// <summary>
/// queues.yaml is hot-reloaded: adding agent 1002 to the sales queue while the server runs takes effect without a
/// restart (1002, registered, serves sales too); a broken file is refused with its file:line:column and the last good
/// configuration stays in force.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class QueuesReloadTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<QueuesReloadTests>();

    [Fact]
    public async Task AgentAddedToAQueue_TakesEffectLive_BrokenFileRefusedKeepingTheLastGoodOne()
    {
        string config = IvrCalls.ConfigCopy("queues-reload", yaml => yaml);
        string queuesYaml = Path.Combine(config, "queues.yaml");
        await using ServerProcess server = await QueueCalls.StartAsync(ports, RepoPaths.NewTempDirectory("queues-reload-data"), output,
            configDirectory: config);
        using var phone = new RawSipClient(server.SipEndPoint, ports.PeerSip(1));
        Assert.Equal(200, SipText.StatusCode((await phone.RegisterAsync("1002", RecordingApi.Password("1002"), 600))[^1]));
        await server.WaitForLogAsync("Agent 1002: LoggedOut -> Available", TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("sales", await QueuesOfAsync(server, "1002"));

        int line = server.Log.Count;
        string original = await File.ReadAllTextAsync(queuesYaml);
        string added = original.Replace("members: [\"1003\"]", "members: [\"1003\", \"1002\"]", StringComparison.Ordinal);
        Assert.NotEqual(original, added);
        await File.WriteAllTextAsync(queuesYaml, added);
        await server.WaitForLogAsync("Queues reloaded from", TimeSpan.FromSeconds(10), line);
        IReadOnlyList<string> queues = await WaitForQueuesAsync(server, "1002", q => q.Contains("sales"));
        Assert.Contains("sales", queues);
        Assert.Contains("support", queues);

        line = server.Log.Count;
        await File.WriteAllTextAsync(queuesYaml, added.Replace("  - name: billing", "  - nmae: billing", StringComparison.Ordinal));
        string refused = await server.WaitForLogAsync("Queues configuration refused", TimeSpan.FromSeconds(10), line);
        output.WriteLine(refused);
        Assert.Contains("queues.yaml:", refused, StringComparison.Ordinal);
        Assert.Contains("sales", await QueuesOfAsync(server, "1002"));
        (int status, _) = await server.GetHealthAsync();
        Assert.Equal(200, status);
    }

    private static async Task<IReadOnlyList<string>> WaitForQueuesAsync(ServerProcess server, string agent, Func<IReadOnlyList<string>, bool> ready)
    {
        IReadOnlyList<string> queues = [];
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(5); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            queues = await QueuesOfAsync(server, agent);
            if (ready(queues))
            {
                break;
            }
        }

        return queues;
    }

    private static async Task<IReadOnlyList<string>> QueuesOfAsync(ServerProcess server, string agent)
    {
        using var http = AuthenticatedHttp.Create(TimeSpan.FromSeconds(5));
        using JsonDocument doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.HttpBase, "api/queues")));
        foreach (JsonElement a in doc.RootElement.GetProperty("agents").EnumerateArray())
        {
            if (a.GetProperty("agent").GetString() == agent)
            {
                return [.. a.GetProperty("queues").EnumerateArray().Select(q => q.GetString()!)];
            }
        }

        return [];
    }
}
