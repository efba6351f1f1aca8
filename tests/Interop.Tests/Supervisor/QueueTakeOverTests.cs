using System.Net;
using System.Text.Json;
using Telephony.Interop.Tests.Ivr;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Interop.Tests.Supervisor;

/// <summary>
/// Take over of a queue call: a trunk caller (SIPp, key 2) reaches agent 1001 (baresip) through the support queue,
/// supervisor 2001 (baresip) barges in with <c>*831001</c> and presses 4. The agent gets BYE and is released in the
/// queue (no longer on a call while the caller stays with the supervisor), the caller's call goes on to its own
/// hangup, and the queue events end with a transfer to the supervisor.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class QueueTakeOverTests(ITestOutputHelper output)
{
    private const string Caller = "+15550000002";
    private readonly PortBlock ports = PortAllocator.For<QueueTakeOverTests>();

    [Fact]
    public async Task SupervisorTakesOverAQueueCall_AgentReleasedInTheQueue_CallerStaysWithSupervisor()
    {
        string data = RepoPaths.NewTempDirectory("takeover-data");
        string dir = RepoPaths.NewTempDirectory("takeover");
        await using ServerProcess server = await QueueCalls.StartAsync(ports, data, output);
        await using BaresipPeer agent = await RecordingApi.PhoneAsync(server, ports, 1, "1001",
            TestAudio.Tone(1000, 60, Path.Combine(dir, "agent.wav")), true, output);
        await using BaresipPeer supervisor = await RecordingApi.PhoneAsync(server, ports, 2, "2001",
            TestAudio.Tone(1800, 60, Path.Combine(dir, "supervisor.wav")), false, output);
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(5));

        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary tone = PcapBuilder.Write(Path.Combine(dir, "tone.pcap"),
            new PcapStream { Audio = WavFile.Read(TestAudio.Tone(440, 16, Path.Combine(dir, "caller.wav"))).Mono() });
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        await using SippProcess caller = SippProcess.Start(IvrCalls.Caller(server, ports.PeerSip(0), media, Caller,
            keys, keys.DurationSeconds + 1, tone, tone.DurationSeconds + 0.5));
        string Context() => $"{server.Describe(80)}\nagent:\n{agent.Log.Tail(15)}\nsupervisor:\n{supervisor.Log.Tail(15)}";

        await server.WaitForLogAsync("connected to agent 1001", TimeSpan.FromSeconds(30));
        int supLine = supervisor.Log.Count, agentLine = agent.Log.Count;
        await supervisor.DialAsync($"sip:*831001@{server.SipHostPort}");
        await supervisor.WaitForLogAsync("Call established", TimeSpan.FromSeconds(10), supLine);
        await server.WaitForLogAsync("(Barge)", TimeSpan.FromSeconds(5));
        Assert.Equal("OnCall", await AgentStateAsync(server, "1001"));

        await Task.Delay(1000);
        await supervisor.CommandAsync("sndcode", "4");
        await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10), agentLine);
        await server.WaitForLogAsync("agent 1001 released", TimeSpan.FromSeconds(5));
        string? released = await AgentStateAsync(server, "1001");
        Assert.False(caller.HasExited, "the caller should still be talking to the supervisor\n" + Context());
        Assert.True(released is "WrapUp" or "Available", $"agent 1001 after the take over: {released}\n{Context()}");

        SippResult call = await caller.WaitAsync();
        JsonElement cdr = await QueueCalls.ClosedCallAsync(server, Caller);
        JsonElement events = await QueueCalls.QueueEventsAsync(server, cdr.GetProperty("id").GetString()!);
        string context = $"cdr {cdr}\nevents {events}\n{call.Describe()}\n{Context()}";
        output.WriteLine(context);
        Assert.True(call.Succeeded, "the caller's call should end by its own BYE\n" + context);
        Assert.Equal("Answered", cdr.GetProperty("outcome").GetString());
        Assert.Equal("1001", cdr.GetProperty("agent").GetString());
        Assert.Equal(["Entered", "AgentRung", "Answered", "Transferred"], QueueCalls.Kinds(events));
        Assert.Equal("supervisor:2001", events[3].GetProperty("detail").GetString());
    }

    private static async Task<string?> AgentStateAsync(ServerProcess server, string extension)
    {
        using var http = AuthenticatedHttp.Create(TimeSpan.FromSeconds(5), "2001");
        using JsonDocument doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.HttpBase, "api/queues")));
        foreach (JsonElement a in doc.RootElement.GetProperty("agents").EnumerateArray())
        {
            if (a.GetProperty("agent").GetString() == extension)
            {
                return a.GetProperty("state").GetString();
            }
        }

        return null;
    }
}
