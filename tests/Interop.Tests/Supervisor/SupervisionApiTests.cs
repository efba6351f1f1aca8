using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Telephony.Interop.Tests.Engine;
using Telephony.Interop.Tests.Recording;
using static Telephony.Interop.Tests.Supervisor.SupervisionAudio;

namespace Telephony.Interop.Tests.Supervisor;

/// <summary>
/// Supervision started from the HTTP API with real peers: caller 1002 (440 Hz) talks to agent 1001 (1000 Hz);
/// <c>POST /api/supervise</c> rings supervisor 2001 (1800 Hz), first on a phone that does not answer (408 after the
/// ring timeout), then on two registered phones at once (the auto-answering one wins). In listen mode the supervisor
/// hears both and nobody hears it; the HTTP mode API switches to whisper: the agent hears the supervisor, the caller
/// does not, and the call recording's right channel ("our side") holds the supervisor's tone during the whisper and
/// not during the listen part. The call record lists supervisor 2001's Listen and Whisper segments with their times.
/// A non-supervisor (1003) is refused with 403, an idle agent with 409.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class SupervisionApiTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(3);
    private static readonly HttpClient Http = AuthenticatedHttp.Create(TimeSpan.FromSeconds(40), "2001");

    private readonly PortBlock ports = PortAllocator.For<SupervisionApiTests>();

    [Fact]
    public async Task ApiRingsSupervisor_ListenThenWhisper_RecordingHoldsWhisper_CallRecordListsModes_RefusalsAndNoAnswer()
    {
        await using ServerProcess server = await Engine.Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("supervise-api");
        await using BaresipPeer caller = await StartAsync(server, 0, "1002", TestAudio.Tone(CallerHz, 60, Path.Combine(dir, "c.wav")));
        await using BaresipPeer agent = await StartAsync(server, 1, "1001", TestAudio.Tone(AgentHz, 60, Path.Combine(dir, "a.wav")));
        await using BaresipPeer silentPhone = await StartAsync(server, 2, "2001", TestAudio.Tone(700, 60, Path.Combine(dir, "n.wav")), autoAnswer: false);
        string Context() => $"{server.Describe(80)}\ncaller:\n{caller.Log.Tail(15)}\nagent:\n{agent.Log.Tail(15)}";

        // Refusals before any call: not a supervisor (403), agent not in a call (409).
        (int status, string body) = await PostAsync(server, "api/supervise", new { supervisor = "1003", agent = "1001", mode = "listen" });
        Assert.True(status == 403, $"non-supervisor: {status} {body}");
        (status, body) = await PostAsync(server, "api/supervise", new { supervisor = "2001", agent = "1001", mode = "listen" });
        Assert.True(status == 409, $"idle agent: {status} {body}");

        var clock = Stopwatch.StartNew();
        await caller.DialAsync($"sip:1001@{server.SipHostPort}");
        await caller.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15));
        await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(5));
        TimeSpan callStart = clock.Elapsed;

        // Only a phone that does not answer: 408 after the ring timeout, and the call goes on unsupervised.
        (status, body) = await PostAsync(server, "api/supervise", new { supervisor = "2001", agent = "1001", mode = "listen", ringTimeoutSeconds = 2 });
        Assert.True(status == 408, $"no answer: {status} {body}\n{Context()}");
        string ringing = await silentPhone.WaitForLogAsync("811001", TimeSpan.FromSeconds(2));
        output.WriteLine("silent phone saw: " + ringing);

        // A second, auto-answering phone of 2001: both ring, the one that answers is joined in listen mode.
        await using BaresipPeer supervisor = await StartAsync(server, 3, "2001", TestAudio.Tone(SupervisorHz, 60, Path.Combine(dir, "s.wav")));
        int supLine = supervisor.Log.Count;
        (status, body) = await PostAsync(server, "api/supervise", new { supervisor = "2001", agent = "1001", mode = "listen" });
        Assert.True(status == 202, $"supervise: {status} {body}\n{Context()}");
        TimeSpan supStart = clock.Elapsed;
        using JsonDocument accepted = JsonDocument.Parse(body);
        string supervisionId = accepted.RootElement.GetProperty("id").GetString()!;
        string callId = accepted.RootElement.GetProperty("callId").GetString()!;
        Assert.Equal("Listen", accepted.RootElement.GetProperty("mode").GetString());
        string established = await supervisor.WaitForLogAsync("Call established", TimeSpan.FromSeconds(5), supLine);
        Assert.Contains("811001", established, StringComparison.Ordinal);

        (status, body) = await PostAsync(server, "api/supervise", new { supervisor = "2001", agent = "1001", mode = "barge" });
        Assert.True(status == 409, $"second supervision of one call: {status} {body}");
        using (JsonDocument list = JsonDocument.Parse(await Http.GetStringAsync(new Uri(server.HttpBase, "api/supervise"))))
        {
            JsonElement active = Assert.Single(list.RootElement.EnumerateArray());
            Assert.Equal(supervisionId, active.GetProperty("id").GetString());
            Assert.True(active.GetProperty("originated").GetBoolean() && active.GetProperty("joined").GetBoolean(), active.ToString());
        }

        TimeSpan listenFrom = clock.Elapsed;
        await Task.Delay(Phase);
        TimeSpan listenTo = clock.Elapsed;

        int line = server.Log.Count;
        (status, body) = await PostAsync(server, $"api/supervise/{Uri.EscapeDataString(supervisionId)}/mode", new { mode = "whisper" });
        Assert.True(status == 200, $"mode switch: {status} {body}");
        await server.WaitForLogAsync("now Whisper", TimeSpan.FromSeconds(5), line);
        TimeSpan whisperFrom = clock.Elapsed;
        await Task.Delay(Phase);
        TimeSpan whisperTo = clock.Elapsed;

        await supervisor.HangupAsync();
        await server.WaitForLogAsync("left call", TimeSpan.FromSeconds(5));
        await Task.Delay(500);
        await caller.HangupAsync();
        await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));
        await Health.AssertNoCallsLeftAsync(server);

        // What each peer heard.
        short[] callerHeard = WavFile.Read(Longest(caller)).Mono();
        short[] agentHeard = WavFile.Read(Longest(agent)).Mono();
        short[] supHeard = WavFile.Read(Longest(supervisor)).Mono();
        JsonElement recording = await RecordingApi.ClosedRecordingAsync(server, callId, TimeSpan.FromSeconds(10));
        (short[] left, short[] right) = RecordingApi.Channels(WavFile.Read(recording.GetProperty("path").GetString()!));

        var report = new StringBuilder();
        foreach ((string mode, TimeSpan from, TimeSpan to) in new[] { ("Listen", listenFrom, listenTo), ("Whisper", whisperFrom, whisperTo) })
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"{mode}: caller hears {Shares(Slice(callerHeard, from - callStart, to - callStart))}; " +
                $"agent hears {Shares(Slice(agentHeard, from - callStart, to - callStart))}; " +
                $"supervisor hears {Shares(Slice(supHeard, from - supStart, to - supStart))}; " +
                $"recording left {Shares(Slice(left, from - callStart, to - callStart))} right {Shares(Slice(right, from - callStart, to - callStart))}");
        }
        output.WriteLine(report.ToString());
        string ctx = report + Context();

        foreach ((string mode, TimeSpan from, TimeSpan to) in new[] { ("Listen", listenFrom, listenTo), ("Whisper", whisperFrom, whisperTo) })
        {
            bool whisper = mode == "Whisper";
            short[] c = Slice(callerHeard, from - callStart, to - callStart);
            short[] a = Slice(agentHeard, from - callStart, to - callStart);
            short[] s = Slice(supHeard, from - supStart, to - supStart);
            short[] l = Slice(left, from - callStart, to - callStart);
            short[] r = Slice(right, from - callStart, to - callStart);
            AssertHears(s, CallerHz, true, $"{mode}: supervisor/caller", ctx);
            AssertHears(s, AgentHz, true, $"{mode}: supervisor/agent", ctx);
            AssertHears(c, AgentHz, true, $"{mode}: caller/agent", ctx);
            AssertHears(c, SupervisorHz, false, $"{mode}: caller/supervisor", ctx);
            AssertHears(a, CallerHz, true, $"{mode}: agent/caller", ctx);
            AssertHears(a, SupervisorHz, whisper, $"{mode}: agent/supervisor", ctx);
            AssertHears(l, CallerHz, true, $"{mode}: recording left/caller", ctx);
            AssertHears(l, SupervisorHz, false, $"{mode}: recording left/supervisor", ctx);
            AssertHears(r, AgentHz, true, $"{mode}: recording right/agent", ctx);
            AssertHears(r, SupervisorHz, whisper, $"{mode}: recording right/supervisor", ctx);
        }

        // The call record: who supervised, in which modes, when.
        JsonElement rows = await SupervisionsAsync(server, callId, expected: 2);
        output.WriteLine(rows.ToString());
        Assert.Equal(["Listen", "Whisper"], rows.EnumerateArray().Select(r => r.GetProperty("mode").GetString()));
        DateTimeOffset? previousEnd = null;
        foreach (JsonElement row in rows.EnumerateArray())
        {
            Assert.Equal("2001", row.GetProperty("supervisor").GetString());
            Assert.Equal("1001", row.GetProperty("agent").GetString());
            Assert.Equal(supervisionId, row.GetProperty("supervisorCallId").GetString());
            DateTimeOffset started = row.GetProperty("startedAt").GetDateTimeOffset();
            DateTimeOffset ended = row.GetProperty("endedAt").GetDateTimeOffset();
            Assert.True(ended - started >= Phase - TimeSpan.FromSeconds(0.5) && ended - started < Phase + TimeSpan.FromSeconds(4),
                $"segment {row}");
            if (previousEnd is { } end)
            {
                Assert.Equal(end, started); // a switch ends one segment and starts the next at the same instant
            }
            previousEnd = ended;
        }
    }

    private static async Task<(int Status, string Body)> PostAsync(ServerProcess server, string path, object payload)
    {
        using var content = new StringContent(JsonSerializer.Serialize(payload), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await Http.PostAsync(new Uri(server.HttpBase, path), content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <c>/api/calls/{id}/supervisions</c> until <paramref name="expected"/> closed segments are stored.</summary>
    private static async Task<JsonElement> SupervisionsAsync(ServerProcess server, string callId, int expected)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await RecordingApi.GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(callId)}/supervisions");
            if (last.GetArrayLength() == expected &&
                last.EnumerateArray().All(r => r.GetProperty("endedAt").ValueKind != JsonValueKind.Null))
            {
                return last;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"supervisions of {callId}: {last}\n{server.Describe()}");
    }

    private async Task<BaresipPeer> StartAsync(ServerProcess server, int index, string extension, string wav, bool autoAnswer = true)
    {
        BaresipPeer peer = await BaresipPeer.StartAsync(
            new BaresipOptions
            {
                Name = extension + "-" + index.ToString(CultureInfo.InvariantCulture), SipPort = ports.PeerSip(index),
                ControlPort = ports.PeerSip(index) + 2, RtpPortMin = ports.PeerMedia(index),
                Account = BaresipPeer.AccountLine(extension, server.SipHostPort, Engine.Engine.Password(extension), autoAnswer),
                AudioSourceWav = wav, QuitAfter = TimeSpan.FromSeconds(120),
            },
            output);
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
