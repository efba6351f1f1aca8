using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using Telephony.Recording.Tests.Storage;
using static Telephony.Interop.Tests.Supervisor.SupervisionAudio;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// The cluster bus with two nodes behind Kamailio and a shared <c>cluster.database</c> (storage stays SQLite per node):
/// caller 1002 (440 Hz) and agent 1001 (1000 Hz) are registered on node-b and bridged there; supervisor 2001 is
/// registered through Kamailio. Node-a's event stream (<c>GET /api/events</c>) and live calls show node-b's call with its
/// node; <c>POST /api/supervise</c> sent to node-a is carried out by node-b (202), which rings 2001 through Kamailio: the
/// supervisor hears the caller; <c>GET /api/supervise</c> on either node lists it with node-b; the mode switch sent to
/// node-a also reaches node-b.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ClusterSupervisionTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = AuthenticatedHttp.Create(TimeSpan.FromSeconds(40), "2001");

    private readonly PortBlock[] blocks = [PortAllocator.For<ClusterSupervisionTests>(), PortAllocator.For(typeof(ClusterSupervisionTests).FullName + ".node-b")];

    [KamailioPostgresFact]
    public async Task Listen_request_to_node_a_joins_the_supervisor_to_node_b_s_call_and_node_a_s_stream_shows_it()
    {
        string schema = await TestPostgres.CreateSchemaAsync();
        string database = TestPostgres.ConnectionStringFor(schema);
        try
        {
            await using LocalCluster cluster = await LocalCluster.StartAsync(blocks, output,
                new Dictionary<string, string?> { ["TELEPHONY_CLUSTER__DATABASE"] = database });
            ServerProcess a = cluster.Nodes[0], b = cluster.Nodes[1];
            string nodeB = $"{LocalCluster.NodeAddresses[1]}:{b.Ports.Sip.ToString(CultureInfo.InvariantCulture)}";
            string dir = RepoPaths.NewTempDirectory("cluster-supervise");
            await a.WaitForLogAsync("Cluster bus: listening", TimeSpan.FromSeconds(15));
            await b.WaitForLogAsync("Cluster bus: listening", TimeSpan.FromSeconds(15));

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var stream = new StringBuilder();
            Task reading = ReadStreamAsync(a, stream, stop.Token);

            await using BaresipPeer caller = await PeerAsync(0, "1002", nodeB, TestAudio.Tone(CallerHz, 60, Path.Combine(dir, "c.wav")));
            await using BaresipPeer agent = await PeerAsync(1, "1001", nodeB, TestAudio.Tone(AgentHz, 60, Path.Combine(dir, "a.wav")));
            await using BaresipPeer supervisor = await PeerAsync(2, "2001", cluster.Kamailio.HostPort,
                TestAudio.Tone(SupervisorHz, 60, Path.Combine(dir, "s.wav")));
            string Context() => $"{cluster.Describe()}\n--- stream of node-a ---\n{Snapshot(stream)}\n--- supervisor ---\n{supervisor.Log.Tail(20)}";

            await caller.DialAsync($"sip:1001@{nodeB}");
            await caller.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15));
            await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(5));

            // Node-a's live view: node-b's call, tagged with its node, in the live calls and the event stream.
            JsonElement? remote = null;
            for (var until = DateTime.UtcNow + TimeSpan.FromSeconds(5); remote is null && DateTime.UtcNow < until; await Task.Delay(200))
            {
                using JsonDocument live = JsonDocument.Parse(await Http.GetStringAsync(new Uri(a.HttpBase, "api/console/live-calls")));
                remote = live.RootElement.EnumerateArray().Where(c => c.GetProperty("node").GetString() == "node-b").Select(c => c.Clone())
                    .Cast<JsonElement?>().FirstOrDefault();
            }
            Assert.True(remote is not null, "node-a's live calls do not list node-b's call\n" + Context());
            Assert.Equal("1002", remote.Value.GetProperty("caller").GetString());
            string callId = remote.Value.GetProperty("id").GetString()!;
            Assert.True(Snapshot(stream).Contains("event: call.started", StringComparison.Ordinal)
                && Snapshot(stream).Contains(callId, StringComparison.Ordinal) && Snapshot(stream).Contains("\"node\":\"node-b\"", StringComparison.Ordinal),
                "node-a's event stream does not show node-b's call\n" + Context());

            // Supervision asked of node-a, carried out by node-b through Kamailio.
            int supLine = supervisor.Log.Count;
            (int status, string body) = await PostAsync(a, "api/supervise", new { agent = "1001", mode = "listen" });
            Assert.True(status == 202, $"supervise via node-a: {status} {body}\n{Context()}");
            var listening = Stopwatch.StartNew();
            using JsonDocument accepted = JsonDocument.Parse(body);
            Assert.Equal(callId, accepted.RootElement.GetProperty("callId").GetString());
            string supervisionId = accepted.RootElement.GetProperty("id").GetString()!;
            await supervisor.WaitForLogAsync("Call established", TimeSpan.FromSeconds(5), supLine);
            Assert.True(b.Log.Contains("supervision of 1001 by 2001 asked by node node-a"), Context());

            // GET /api/supervise on either node lists the supervision, with the node that has it.
            foreach (ServerProcess node in new[] { a, b })
            {
                using JsonDocument list = JsonDocument.Parse(await Http.GetStringAsync(new Uri(node.HttpBase, "api/supervise")));
                JsonElement[] found = [.. list.RootElement.EnumerateArray().Where(s => s.GetProperty("id").GetString() == supervisionId)];
                Assert.True(found.Length == 1, $"GET /api/supervise on {node.HttpBase}: {list.RootElement}\n{Context()}");
                Assert.Equal("node-b", found[0].GetProperty("node").GetString());
                Assert.Equal("1001", found[0].GetProperty("agent").GetString());
                Assert.Equal(callId, found[0].GetProperty("callId").GetString());
            }
            await Task.Delay(TimeSpan.FromSeconds(3));
            TimeSpan listenedFor = listening.Elapsed;

            int line = b.Log.Count;
            (status, body) = await PostAsync(a, $"api/supervise/{Uri.EscapeDataString(supervisionId)}/mode", new { mode = "whisper" });
            Assert.True(status == 200, $"mode switch via node-a: {status} {body}\n{Context()}");
            await b.WaitForLogAsync("now Whisper", TimeSpan.FromSeconds(5), line);
            (status, body) = await PostAsync(a, "api/supervise/no-such-supervision/mode", new { mode = "barge" });
            Assert.True(status == 404, $"unknown supervision: {status} {body}");

            await supervisor.HangupAsync();
            await b.WaitForLogAsync("left call", TimeSpan.FromSeconds(5));
            await caller.HangupAsync();
            await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));
            await stop.CancelAsync();
            await reading;

            short[] heard = Slice(WavFile.Read(Longest(supervisor)).Mono(), TimeSpan.Zero, listenedFor);
            output.WriteLine("supervisor heard while listening: " + Shares(heard));
            AssertHears(heard, CallerHz, true, "listen: supervisor/caller", Context());
            AssertHears(heard, AgentHz, true, "listen: supervisor/agent", Context());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            TestPostgres.DropSchema(schema);
        }
    }

    private static string Snapshot(StringBuilder stream)
    {
        lock (stream)
        {
            return stream.ToString();
        }
    }

    private static async Task ReadStreamAsync(ServerProcess node, StringBuilder into, CancellationToken ct)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(node.HttpBase, "api/events"), HttpCompletionOption.ResponseHeadersRead, ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (await reader.ReadLineAsync(ct) is { } text)
            {
                lock (into)
                {
                    into.AppendLine(text);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The test is done with the stream.
        }
    }

    private static async Task<(int Status, string Body)> PostAsync(ServerProcess server, string path, object payload)
    {
        using var content = new StringContent(JsonSerializer.Serialize(payload), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await Http.PostAsync(new Uri(server.HttpBase, path), content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<BaresipPeer> PeerAsync(int index, string extension, string registrar, string wav)
    {
        PortBlock ports = blocks[0];
        BaresipPeer peer = await BaresipPeer.StartAsync(new BaresipOptions
        {
            Name = extension, SipPort = ports.PeerSip(index), ControlPort = ports.PeerSip(index) + 2, RtpPortMin = ports.PeerMedia(index),
            Account = BaresipPeer.AccountLine(extension, registrar, Engine.Engine.Password(extension), autoAnswer: true),
            AudioSourceWav = wav, QuitAfter = TimeSpan.FromSeconds(90),
        }, output);
        try
        {
            await peer.WaitForLogAsync(" binding", TimeSpan.FromSeconds(10));
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
        return peer;
    }
}
