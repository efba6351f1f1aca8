using System.Net;
using System.Text.Json;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Interop.Tests.Recording;

/// <summary>
/// Outcomes of IVR calls that never reach a queue, each with its missed-call alert: after hours (the IVR clock at
/// 20:00, the schedule's closed branch plays the closed message and hangs up) and a caller who hangs up during the
/// greeting (abandoned in the IVR). Both were answered by the server, yet neither is "Answered".
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class IvrOutcomeTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<IvrOutcomeTests>();

    [Fact]
    public async Task AfterHours_ClosedMessageThenHangup_CdrAfterHours_AlertWithCallerNumber()
    {
        string data = RepoPaths.NewTempDirectory("cdr-closed-data");
        await using var receiver = new WebhookReceiver(ports.PeerSip(7));
        receiver.Start();
        await using ServerProcess server = await QueueCalls.StartAsync(ports, data, output, IvrCalls.ClosedClock,
            IvrCalls.QuickAfterHoursConfig("cdr-closed"), receiver);
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        SippResult call = await Sipp.RunAsync(Engine.Engine.FromTrunk(server, "uac-prompt", Engine.Engine.Did, ports.PeerSip(0), media) with
        {
            Variables = new Dictionary<string, string> { ["from"] = "+15550000004" },
            Timeout = TimeSpan.FromSeconds(60),
            RecvTimeout = TimeSpan.FromSeconds(45), // ~13.5 s of prompts, with room for a loaded machine
        });
        WebhookDelivery alert = await receiver.WaitForAsync(d => QueueCalls.Field(d, "caller") == "+15550000004",
            TimeSpan.FromSeconds(10), () => server.Describe());
        JsonElement cdr = await QueueCalls.ClosedCallAsync(server, "+15550000004");
        string context = $"alert {alert.Body}\ncdr {cdr}\n{call.Describe()}\n{server.Describe(80)}";
        output.WriteLine(context);

        Assert.True(call.Succeeded && call.ReceivedRequests.Contains("BYE"), "closed message then BYE expected\n" + context);
        Assert.Equal("AfterHours", cdr.GetProperty("outcome").GetString());
        Assert.Equal("System", cdr.GetProperty("hangupSide").GetString());
        Assert.Equal("greeting office-hours after-hours", cdr.GetProperty("ivrPath").GetString());
        Assert.Equal(JsonValueKind.Null, cdr.GetProperty("queue").ValueKind);
        Assert.Equal(JsonValueKind.Null, cdr.GetProperty("talkMs").ValueKind);
        Assert.Equal("AfterHours", QueueCalls.Field(alert, "outcome"));
        Assert.True(alert.SignatureValid(QueueCalls.Secret), context);
        Assert.Equal(0, (await QueueCalls.QueueEventsAsync(server, cdr.GetProperty("id").GetString()!)).GetArrayLength());
    }

    [Fact]
    public async Task CallerHangsUpDuringGreeting_CdrAbandonedInIvr_AlertWithCallerNumber()
    {
        string data = RepoPaths.NewTempDirectory("cdr-ivr-abandon-data");
        string dir = RepoPaths.NewTempDirectory("cdr-ivr-abandon");
        await using var receiver = new WebhookReceiver(ports.PeerSip(7));
        receiver.Start();
        await using ServerProcess server = await QueueCalls.StartAsync(ports, data, output, receiver: receiver);
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        // About 1.7 s of call, well inside the 3.1 s greeting (a slow BYE must not let the greeting finish).
        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, "+15550000005", quiet, 0.2, quiet, 0.2));
        WebhookDelivery alert = await receiver.WaitForAsync(d => QueueCalls.Field(d, "caller") == "+15550000005",
            TimeSpan.FromSeconds(10), () => server.Describe());
        JsonElement cdr = await QueueCalls.ClosedCallAsync(server, "+15550000005");
        string context = $"alert {alert.Body}\ncdr {cdr}\n{call.Describe()}\n{server.Describe(80)}";
        output.WriteLine(context);

        Assert.True(call.Succeeded, context);
        Assert.Equal("AbandonedInIvr", cdr.GetProperty("outcome").GetString());
        Assert.Equal("Caller", cdr.GetProperty("hangupSide").GetString());
        Assert.Equal("greeting", cdr.GetProperty("ivrPath").GetString());
        Assert.Contains("caller_hangup", cdr.GetProperty("variables").GetString(), StringComparison.Ordinal);
        Assert.Equal("AbandonedInIvr", QueueCalls.Field(alert, "outcome"));
        Assert.Equal(Engine.Engine.Did, QueueCalls.Field(alert, "dialed"));
        Assert.True(alert.SignatureValid(QueueCalls.Secret), context);
    }
}
