using System.Net;
using System.Text.Json;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Interop.Tests.Recording;

/// <summary>
/// A trunk caller who hangs up while waiting in the support queue (no agent logged in) is a missed call: the call
/// record says AbandonedInQueue with the wait, the queue events say entered then abandoned, and a signed missed-call
/// alert with the caller's number reaches the webhook; while the receiver is down the alert is retried, and it is
/// delivered once the receiver is back, across a server restart (each alert once, by idempotency key).
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class QueueAbandonAlertTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<QueueAbandonAlertTests>();

    [Fact]
    public async Task CallerHangsUpInQueue_AbandonedInQueueAlertSigned_ReceiverDown_DeliveredAfterRestart()
    {
        string data = RepoPaths.NewTempDirectory("cdr-abandon-data");
        string dir = RepoPaths.NewTempDirectory("cdr-abandon");
        await using var receiver = new WebhookReceiver(ports.PeerSip(7));
        receiver.Start();
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");

        ServerProcess first = await QueueCalls.StartAsync(ports, data, output, receiver: receiver);
        await using (first)
        {
            // 1. +15550000002 waits ~3 s in the support queue, where nobody is logged in, and hangs up.
            SippResult abandoning = await AbandonAsync(first, "+15550000002", keys, quiet);
            Assert.True(abandoning.Succeeded, abandoning.Describe() + "\n" + first.Describe());
            WebhookDelivery missed = await receiver.WaitForAsync(d => QueueCalls.Field(d, "caller") == "+15550000002",
                TimeSpan.FromSeconds(10), () => first.Describe());
            JsonElement cdr = await QueueCalls.ClosedCallAsync(first, "+15550000002");
            string id = cdr.GetProperty("id").GetString()!;
            cdr = await QueueCalls.CallAsync(first, id, c => c.GetProperty("waitMs").ValueKind == JsonValueKind.Number, TimeSpan.FromSeconds(5));
            JsonElement events = await QueueCalls.QueueEventsAsync(first, id);
            string context = $"alert {missed.Body}\ncdr {cdr}\nevents {events}\n{first.Describe(100)}";
            output.WriteLine(context);

            Assert.Equal("missed_call", QueueCalls.Field(missed, "kind"));
            Assert.Equal("AbandonedInQueue", QueueCalls.Field(missed, "outcome"));
            Assert.Contains("\"caller\":\"+15550000002\"", missed.Body, StringComparison.Ordinal); // plain JSON, no \u002B
            Assert.Equal(Engine.Engine.Did, QueueCalls.Field(missed, "dialed"));
            Assert.Equal(id, QueueCalls.Field(missed, "callId"));
            Assert.True(missed.SignatureValid(QueueCalls.Secret), $"bad signature {missed.Signature}\n{context}");
            Assert.False(missed.SignatureValid("wrong-secret"));
            Assert.False(string.IsNullOrEmpty(missed.IdempotencyKey));
            Assert.Equal("AbandonedInQueue", cdr.GetProperty("outcome").GetString());
            Assert.Equal("Caller", cdr.GetProperty("hangupSide").GetString());
            Assert.Equal("support", cdr.GetProperty("queue").GetString());
            Assert.Equal(JsonValueKind.Null, cdr.GetProperty("agent").ValueKind);
            Assert.Equal(JsonValueKind.Null, cdr.GetProperty("talkMs").ValueKind);
            Assert.True(cdr.GetProperty("waitMs").GetInt64() is > 1500 and < 8000, "time waited in the queue\n" + context);
            Assert.Equal(["Entered", "Abandoned"], QueueCalls.Kinds(events));

            // 2. The receiver is down; +15550000003 abandons too: its delivery fails and is retried.
            await receiver.StopAsync();
            SippResult second = await AbandonAsync(first, "+15550000003", keys, quiet);
            Assert.True(second.Succeeded, second.Describe() + "\n" + first.Describe());
            await first.WaitForLogAsync("delivery alert-2 failed (attempt 2)", TimeSpan.FromSeconds(15));
            Assert.Equal(2, (await RecordingApi.GetJsonAsync(first, "api/alerts")).GetArrayLength());
            Assert.Equal(0, await first.StopAsync());
        }

        // 3. Receiver back, server restarted on the same data: the pending alert arrives, the first is not sent again.
        receiver.Start();
        await using ServerProcess restarted = await QueueCalls.StartAsync(ports, data, output, receiver: receiver);
        WebhookDelivery late = await receiver.WaitForAsync(d => QueueCalls.Field(d, "caller") == "+15550000003",
            TimeSpan.FromSeconds(15), () => restarted.Describe());
        Assert.True(late.SignatureValid(QueueCalls.Secret));
        Assert.Equal("AbandonedInQueue", QueueCalls.Field(late, "outcome"));
        await Task.Delay(1500);
        var keysSeen = receiver.Deliveries.Select(d => d.IdempotencyKey).ToList();
        Assert.True(keysSeen.Count == 2 && keysSeen.Distinct().Count() == 2, "one delivery per alert: " + string.Join(", ", keysSeen));
    }

    private async Task<SippResult> AbandonAsync(ServerProcess server, string from, PcapSummary keys, PcapSummary quiet)
    {
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        return await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, from, keys, keys.DurationSeconds + 3, quiet, 0.5));
    }
}
