using System.Net;
using System.Text.Json;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Interop.Tests.Recording;

/// <summary>
/// A caller who reaches the support queue's max wait (4 s here) goes to the IVR's overflow path (the all-busy goodbye):
/// with nobody of the queue logged in the call record says NoAgent, with an agent logged in who lets it ring it says
/// Overflowed; both raise a missed-call alert and the queue events end in Overflowed.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class QueueOverflowOutcomeTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<QueueOverflowOutcomeTests>();

    [Fact]
    public async Task MaxWaitWithoutAgents_NoAgent_ThenWithARingingAgent_Overflowed()
    {
        string config = IvrCalls.ConfigCopy("cdr-overflow", yaml => yaml,
            ivr => ivr.Replace("        queue: support\n        max_wait: 5m\n", "        queue: support\n        max_wait: 4s\n", StringComparison.Ordinal));
        string data = RepoPaths.NewTempDirectory("cdr-overflow-data");
        string dir = RepoPaths.NewTempDirectory("cdr-overflow");
        await using var receiver = new WebhookReceiver(ports.PeerSip(7));
        receiver.Start();
        await using ServerProcess server = await QueueCalls.StartAsync(ports, data, output, configDirectory: config, receiver: receiver);
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");

        // 1. Nobody of the support queue is logged in.
        (JsonElement lonely, JsonElement lonelyEvents, WebhookDelivery lonelyAlert) = await OverflowAsync(server, receiver, "+15550000006", keys, quiet);
        Assert.Equal("NoAgent", lonely.GetProperty("outcome").GetString());
        Assert.Equal("NoAgent", QueueCalls.Field(lonelyAlert, "outcome"));
        Assert.Equal(["Entered", "Overflowed"], QueueCalls.Kinds(lonelyEvents));
        Assert.Equal("application", lonelyEvents[1].GetProperty("detail").GetString()); // the IVR node's overflow path

        // 2. Agent 1001 is logged in but does not pick up (manual answer): rung, then the caller overflows.
        await using BaresipPeer agent = await RecordingApi.PhoneAsync(server, ports, 1, "1001",
            TestAudio.Tone(1000, 5, Path.Combine(dir, "agent.wav")), false, output);
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(5));
        (JsonElement busy, JsonElement busyEvents, WebhookDelivery busyAlert) = await OverflowAsync(server, receiver, "+15550000007", keys, quiet);
        Assert.Equal("Overflowed", busy.GetProperty("outcome").GetString());
        Assert.Equal("Overflowed", QueueCalls.Field(busyAlert, "outcome"));
        IReadOnlyList<string> kinds = QueueCalls.Kinds(busyEvents);
        Assert.Equal("Entered", kinds[0]);
        Assert.Equal("AgentRung", kinds[1]);
        Assert.Equal("Overflowed", kinds[^1]);
        Assert.DoesNotContain("Answered", kinds);
        Assert.True(agent.Log.Contains("Incoming call"), "1001 never rang\n" + agent.Log.Tail(20));
    }

    private async Task<(JsonElement Cdr, JsonElement Events, WebhookDelivery Alert)> OverflowAsync(
        ServerProcess server, WebhookReceiver receiver, string from, PcapSummary keys, PcapSummary quiet)
    {
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, from, keys, keys.DurationSeconds + 30, quiet, 0.5));
        WebhookDelivery alert = await receiver.WaitForAsync(d => QueueCalls.Field(d, "caller") == from, TimeSpan.FromSeconds(10), () => server.Describe());
        JsonElement cdr = await QueueCalls.ClosedCallAsync(server, from);
        JsonElement events = await QueueCalls.QueueEventsAsync(server, cdr.GetProperty("id").GetString()!);
        string context = $"cdr {cdr}\nevents {events}\nalert {alert.Body}\n{call.Describe()}\n{server.Describe(100)}";
        output.WriteLine(context);
        Assert.True(call.Succeeded && call.ReceivedRequests.Contains("BYE"), "the all-busy goodbye then BYE expected\n" + context);
        Assert.Equal("System", cdr.GetProperty("hangupSide").GetString());
        Assert.EndsWith("to-support all-busy", cdr.GetProperty("ivrPath").GetString(), StringComparison.Ordinal);
        Assert.Equal("support", cdr.GetProperty("queue").GetString());
        Assert.True(cdr.GetProperty("waitMs").GetInt64() >= 3500, "waited up to the max wait\n" + context);
        return (cdr, events, alert);
    }
}
