using System.Diagnostics;
using System.Globalization;
using Telephony.Interop.Tests.Engine;
using static Telephony.Interop.Tests.Supervisor.SupervisionAudio;

namespace Telephony.Interop.Tests.Supervisor;

/// <summary>
/// Supervision end to end with real peers: caller 1002 (440 Hz) calls agent 1001 (1000 Hz); supervisor 2001 (1800 Hz)
/// dials <c>*811001</c> and then switches modes with DTMF (2 whisper, 3 barge), hangs up (plain bridge again),
/// dials <c>*831001</c> and takes over (4: the agent gets BYE, the caller hears the supervisor). Each peer records what it hears and
/// Goertzel on each phase's slice checks who hears whom. Non-supervisor 1003 dialing the code is refused with 403.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class SupervisorModeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(3);

    private readonly PortBlock ports = PortAllocator.For<SupervisorModeTests>();

    [Fact]
    public async Task ListenWhisperBargeTakeOver_EachHearsTheRightParties_HangupRestoresBridge_NonSupervisorRefused()
    {
        await using ServerProcess server = await Engine.Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("supervise");
        await using BaresipPeer caller = await StartAsync(server, 0, "1002", TestAudio.Tone(CallerHz, 60, Path.Combine(dir, "c.wav")));
        await using BaresipPeer agent = await StartAsync(server, 1, "1001", TestAudio.Tone(AgentHz, 60, Path.Combine(dir, "a.wav")));
        await using BaresipPeer supervisor = await StartAsync(server, 2, "2001", TestAudio.Tone(SupervisorHz, 60, Path.Combine(dir, "s.wav")));
        await using BaresipPeer other = await StartAsync(server, 3, "1003", TestAudio.Tone(700, 10, Path.Combine(dir, "o.wav")));
        string Context() => $"{server.Describe(80)}\ncaller:\n{caller.Log.Tail(15)}\nagent:\n{agent.Log.Tail(15)}\nsupervisor:\n{supervisor.Log.Tail(20)}";

        // Non-supervisor: refused before anything is answered.
        int otherLine = other.Log.Count;
        await other.DialAsync($"sip:*811001@{server.SipHostPort}");
        string refused = await other.WaitForLogAsync("403", TimeSpan.FromSeconds(10), otherLine);
        Assert.Contains("403", refused, StringComparison.Ordinal);

        var clock = Stopwatch.StartNew();
        await caller.DialAsync($"sip:1001@{server.SipHostPort}");
        await caller.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15));
        await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(5));
        TimeSpan callStart = clock.Elapsed;
        await Task.Delay(1000);

        // Idle extension: 1004 has no call.
        int supLine = supervisor.Log.Count;
        await supervisor.DialAsync($"sip:*811004@{server.SipHostPort}");
        await supervisor.WaitForLogAsync("480", TimeSpan.FromSeconds(10), supLine);

        supLine = supervisor.Log.Count;
        await supervisor.DialAsync($"sip:*811001@{server.SipHostPort}");
        await supervisor.WaitForLogAsync("Call established", TimeSpan.FromSeconds(10), supLine);
        TimeSpan supStart = clock.Elapsed;
        var phases = new List<(string Mode, TimeSpan From, TimeSpan To)>();
        TimeSpan at = clock.Elapsed;
        await Task.Delay(Phase);
        phases.Add(("Listen", at, clock.Elapsed));
        foreach ((string digit, string mode) in new[] { ("2", "Whisper"), ("3", "Barge") })
        {
            int line = server.Log.Count;
            await supervisor.CommandAsync("sndcode", digit);
            await server.WaitForLogAsync("now " + mode, TimeSpan.FromSeconds(5), line);
            at = clock.Elapsed;
            await Task.Delay(Phase);
            phases.Add((mode, at, clock.Elapsed));
        }

        // Supervisor leaves: the plain bridge is back, the call goes on.
        int agentLine = agent.Log.Count;
        await supervisor.HangupAsync();
        await server.WaitForLogAsync("left call", TimeSpan.FromSeconds(5));
        at = clock.Elapsed;
        await Task.Delay(Phase);
        phases.Add(("Bridge", at, clock.Elapsed));
        Assert.True(agent.Log.CountOf("terminated") == 0, "the call dropped when the supervisor left\n" + Context());

        // Barge by code, then the caller hangs up: the supervisor gets BYE.
        supLine = supervisor.Log.Count;
        await supervisor.DialAsync($"sip:*831001@{server.SipHostPort}");
        await supervisor.WaitForLogAsync("Call established", TimeSpan.FromSeconds(10), supLine);
        await server.WaitForLogAsync("(Barge)", TimeSpan.FromSeconds(5));

        // HTTP: list, switch mode by id; a non-supervisor is refused.
        using (var http = AuthenticatedHttp.Create(TimeSpan.FromSeconds(5), "2001"))
        {
            string list = await http.GetStringAsync(new Uri(server.HttpBase, "api/supervise"));
            string id = System.Text.Json.JsonDocument.Parse(list).RootElement[0].GetProperty("id").GetString()!;
            int line = server.Log.Count;
            using HttpResponseMessage switched = await http.PostAsync(new Uri(server.HttpBase, $"api/supervise/{Uri.EscapeDataString(id)}/mode"),
                new StringContent("{\"mode\":\"whisper\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(switched.IsSuccessStatusCode, $"mode switch: {(int)switched.StatusCode}\n{list}");
            await server.WaitForLogAsync("now Whisper", TimeSpan.FromSeconds(5), line);
            using HttpResponseMessage forbidden = await http.PostAsync(new Uri(server.HttpBase, "api/supervise"),
                new StringContent("{\"supervisor\":\"1003\",\"agent\":\"1001\",\"mode\":\"listen\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(403, (int)forbidden.StatusCode);
        }
        await Task.Delay(1000);

        // Take over (4): the agent gets BYE, caller and supervisor stay together.
        await supervisor.CommandAsync("sndcode", "4");
        await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10), agentLine);
        at = clock.Elapsed;
        await Task.Delay(Phase);
        TimeSpan takeOverEnd = clock.Elapsed;
        Assert.True(caller.Log.CountOf("terminated") == 0, "the caller was dropped on take over\n" + Context());

        await caller.HangupAsync();
        await supervisor.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10), supLine);
        await Health.AssertNoCallsLeftAsync(server);
        short[] callerAfterTakeOver = WavFile.Read(Longest(caller)).Mono();
        short[] takeOver = Slice(callerAfterTakeOver, at - callStart, takeOverEnd - callStart);
        output.WriteLine($"TakeOver: caller hears {Shares(takeOver)}");
        AssertHears(takeOver, SupervisorHz, true, "TakeOver: caller/supervisor", Context());
        AssertHears(takeOver, AgentHz, false, "TakeOver: caller/agent", Context());

        // The event log notes who supervised, in which modes and when.
        List<string> events = await SupervisionEventsAsync(server, expectedEnded: 2);
        string log = string.Join('\n', events);
        output.WriteLine(log);
        Assert.Equal(2, events.Count(e => e.StartsWith("supervision.started", StringComparison.Ordinal)));
        Assert.Equal(2, events.Count(e => e.StartsWith("supervision.ended", StringComparison.Ordinal)));
        foreach (string mode in new[] { "Whisper", "Barge", "TakeOver" }) // Whisper twice: DTMF 2, then the HTTP API
        {
            Assert.True(events.Any(e => e.StartsWith("supervision.mode", StringComparison.Ordinal) && e.Contains($"\"mode\":\"{mode}\"", StringComparison.Ordinal)),
                $"no supervision.mode {mode}\n{log}");
        }
        Assert.All(events, e => Assert.Contains("\"supervisor\":\"2001\"", e, StringComparison.Ordinal));

        string callerWav = Longest(caller), agentWav = Longest(agent), supWav = Longest(supervisor);
        short[] callerHeard = WavFile.Read(callerWav).Mono();
        short[] agentHeard = WavFile.Read(agentWav).Mono();
        short[] supHeard = WavFile.Read(supWav).Mono();
        var report = new List<string>();
        foreach ((string mode, TimeSpan from, TimeSpan to) in phases)
        {
            var c = Shares(Slice(callerHeard, from - callStart, to - callStart));
            var a = Shares(Slice(agentHeard, from - callStart, to - callStart));
            report.Add($"{mode}: caller hears {c}; agent hears {a}" +
                       (mode == "Bridge" ? "" : $"; supervisor hears {Shares(Slice(supHeard, from - supStart, to - supStart))}"));
        }
        string table = string.Join('\n', report);
        output.WriteLine(table);
        string ctx = table + "\n" + Context();

        foreach ((string mode, TimeSpan from, TimeSpan to) in phases)
        {
            short[] c = Slice(callerHeard, from - callStart, to - callStart);
            short[] a = Slice(agentHeard, from - callStart, to - callStart);
            bool supTalksToAgent = mode is "Whisper" or "Barge";
            bool supTalksToCaller = mode is "Barge";
            AssertHears(c, AgentHz, true, $"{mode}: caller/agent", ctx);
            AssertHears(c, SupervisorHz, supTalksToCaller, $"{mode}: caller/supervisor", ctx);
            AssertHears(a, CallerHz, true, $"{mode}: agent/caller", ctx);
            AssertHears(a, SupervisorHz, supTalksToAgent, $"{mode}: agent/supervisor", ctx);
            if (mode != "Bridge")
            {
                short[] s = Slice(supHeard, from - supStart, to - supStart);
                AssertHears(s, CallerHz, true, $"{mode}: supervisor/caller", ctx);
                AssertHears(s, AgentHz, true, $"{mode}: supervisor/agent", ctx);
            }
        }
    }

    /// <summary>Replays the event log (<c>?after=0</c>) and returns "type data" lines of supervision events.</summary>
    private static async Task<List<string>> SupervisionEventsAsync(ServerProcess server, int expectedEnded)
    {
        using var http = AuthenticatedHttp.Create(Timeout.InfiniteTimeSpan, "2001");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var found = new List<string>();
        try
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri(server.HttpBase, "api/events?after=0"),
                HttpCompletionOption.ResponseHeadersRead, cts.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
            string? type = null;
            while (found.Count(e => e.StartsWith("supervision.ended", StringComparison.Ordinal)) < expectedEnded &&
                   await reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && type is not null &&
                         type.StartsWith("supervision.", StringComparison.Ordinal))
                {
                    found.Add(type + " " + line[6..]);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Returns what arrived in time; the assertions say what is missing.
        }
        return found;
    }

    private async Task<BaresipPeer> StartAsync(ServerProcess server, int index, string extension, string wav)
    {
        BaresipPeer peer = await BaresipPeer.StartAsync(
            new BaresipOptions
            {
                Name = extension, SipPort = ports.PeerSip(index), ControlPort = ports.PeerSip(index) + 2, RtpPortMin = ports.PeerMedia(index),
                Account = BaresipPeer.AccountLine(extension, server.SipHostPort, Engine.Engine.Password(extension), autoAnswer: true),
                AudioSourceWav = wav, QuitAfter = TimeSpan.FromSeconds(120),
            },
            output);
        try
        {
            await peer.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
        return peer;
    }
}
