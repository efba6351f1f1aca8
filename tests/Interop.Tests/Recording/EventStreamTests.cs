using System.Text;

namespace Telephony.Interop.Tests.Recording;

/// <summary><c>GET /api/events</c> (Server-Sent Events): live call events, and a reconnect with Last-Event-ID gets
/// exactly the newer ones.</summary>
[Collection(PeersCollection.Name)]
public sealed class EventStreamTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<EventStreamTests>();

    [Fact]
    public async Task LiveStream_ShowsCallEvents_ReconnectWithLastEventIdGetsOnlyNewer()
    {
        string data = RepoPaths.NewTempDirectory("sse-data");
        await using ServerProcess server = await RecordingApi.StartAsync(ports, data, output);
        using var http = AuthenticatedHttp.Create(Timeout.InfiniteTimeSpan);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using HttpResponseMessage live = await http.GetAsync(new Uri(server.HttpBase, "api/events"), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", live.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await live.Content.ReadAsStreamAsync(cts.Token), Encoding.UTF8);

        // An answered echo call (PCMU from a pcap) while the client listens.
        string dir = RepoPaths.NewTempDirectory("sse-audio");
        PcapSummary pcap = PcapBuilder.Write(Path.Combine(dir, "tone.pcap"),
            new PcapStream { Audio = WavFile.Read(TestAudio.Tone(1000, 1, Path.Combine(dir, "tone.wav"))).Mono() });
        SippResult call = await Sipp.RunAsync(new SippOptions
        {
            Scenario = "uac-media", Remote = server.SipHostPort, Service = "9000", LocalPort = ports.PeerSip(0), MediaPort = ports.PeerMedia(0),
            AuthUser = "1003", AuthPassword = "pass1003", AuthUri = $"9000@{server.SipHostPort}",
            Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
            DefaultPause = TimeSpan.FromSeconds(pcap.DurationSeconds + 0.5),
            Timeout = TimeSpan.FromSeconds(20), RecvTimeout = TimeSpan.FromSeconds(10),
        });
        Assert.True(call.Succeeded, call.Describe());
        List<(long Id, string Type)> first = await ReadUntilAsync(reader, "recording.completed", cts.Token);
        string seen = string.Join(", ", first.Select(e => $"{e.Id}:{e.Type}"));
        Assert.True(first.Select(e => e.Type).Take(1).SequenceEqual(["call.started"]), "first live event: " + seen);
        Assert.Contains(first, e => e.Type == "call.answered");
        Assert.Contains(first, e => e.Type == "recording.started");
        Assert.Contains(first, e => e.Type == "call.ended");
        Assert.True(first.Zip(first.Skip(1)).All(p => p.Second.Id > p.First.Id), "ids increase: " + seen);

        // A missed call (1004 is not registered) while no client is connected.
        SippResult missed = await Sipp.RunAsync(new SippOptions
        {
            Scenario = "uac-status", Remote = server.SipHostPort, Service = "1004", LocalPort = ports.PeerSip(0), MediaPort = ports.PeerMedia(0),
            AuthUser = "1003", AuthPassword = "pass1003", AuthUri = $"1004@{server.SipHostPort}",
            Tokens = new Dictionary<string, string> { ["@STATUS@"] = "480" },
            Timeout = TimeSpan.FromSeconds(20), RecvTimeout = TimeSpan.FromSeconds(10),
        });
        Assert.True(missed.Succeeded, missed.Describe());
        live.Dispose();
        await Task.Delay(500);

        long lastSeen = first[^1].Id;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.HttpBase, "api/events"));
        request.Headers.Add("Last-Event-ID", lastSeen.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using HttpResponseMessage again = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader2 = new StreamReader(await again.Content.ReadAsStreamAsync(cts.Token), Encoding.UTF8);
        List<(long Id, string Type)> replay = await ReadUntilAsync(reader2, "alert.created", cts.Token);
        string replayed = string.Join(", ", replay.Select(e => $"{e.Id}:{e.Type}"));
        Assert.True(replay.All(e => e.Id > lastSeen), $"only events after {lastSeen}: {replayed}");
        Assert.Equal(lastSeen + 1, replay[0].Id);
        Assert.Equal("call.started", replay[0].Type);
        Assert.DoesNotContain(replay, e => e.Type == "call.answered");
        Assert.Contains(replay, e => e.Type == "call.ended");
    }

    /// <summary>Reads SSE events until one of <paramref name="type"/> arrives; returns (id, event) pairs.</summary>
    private static async Task<List<(long Id, string Type)>> ReadUntilAsync(StreamReader reader, string type, CancellationToken cancel)
    {
        var events = new List<(long, string)>();
        long id = 0;
        string? name = null;
        while (await reader.ReadLineAsync(cancel) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.Length == 0 && name is not null)
            {
                events.Add((id, name));
                if (name == type)
                {
                    return events;
                }

                name = null;
            }
        }

        throw new InvalidOperationException("stream ended: " + string.Join(", ", events));
    }
}
