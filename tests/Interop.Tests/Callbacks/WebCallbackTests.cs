using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Telephony.Interop.Tests.Engine;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Interop.Tests.Callbacks;

/// <summary>
/// "Call me back" from a web site (issue 13): <c>POST /api/public/callbacks</c> with the sample key and a free agent
/// (baresip 1001, auto-answer, sending a 1 kHz tone): the agent is rung first, answers, and the customer (SIPp behind
/// the outbound trunk at 127.0.0.2, sending 1.8 kHz) gets the server's INVITE within 30 s of the POST; both hear each
/// other. Also: 401 without or with a wrong key, 400 for a number that is not E.164 or outside the allowed prefixes,
/// 429 for the same number again; the status API; <c>callback_requested</c> and <c>callback_completed</c> alerts
/// reach the webhook signed, once each.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class WebCallbackTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<WebCallbackTests>();

    [Fact]
    public async Task WebRequestWithKey_CustomerRingsWithin30s_AgentAndCustomerHearEachOther_401_400_429()
    {
        string data = RepoPaths.NewTempDirectory("cb-web-data");
        string dir = RepoPaths.NewTempDirectory("cb-web");
        await using var receiver = new WebhookReceiver(ports.PeerSip(7));
        receiver.Start();
        await using ServerProcess server = await CallbackCalls.StartAsync(ports, data, output, customerPeer: 2, receiver);
        await using BaresipPeer agent = await CallbackCalls.AgentAsync(server, ports, 1, "1001", dir, output);
        await using SippProcess customer = await CallbackCalls.StartCustomerAsync(ports, 2, dir, "uas-trunk-answer");
        await using var customerSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), ports.PeerMedia(2) + 4);

        // Refusals first: nothing is queued by them.
        var body = new { number = CallbackCalls.Customer, queue = "support", name = "Ada Lovelace", note = "web test" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallbackCalls.PostAsync(server, null, body)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallbackCalls.PostAsync(server, "wrong-key-123", body)).Status);
        var national = await CallbackCalls.PostAsync(server, CallbackCalls.SampleKey, body with { number = "5550000002" });
        Assert.Equal(HttpStatusCode.BadRequest, national.Status);
        Assert.Contains("E.164", national.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        var elsewhere = await CallbackCalls.PostAsync(server, CallbackCalls.SampleKey, body with { number = "+33123456789" });
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.Status);
        Assert.Contains("allowed prefixes", elsewhere.Body.GetProperty("error").GetString(), StringComparison.Ordinal);

        var watch = Stopwatch.StartNew();
        var accepted = await CallbackCalls.PostAsync(server, CallbackCalls.SampleKey, body);
        Assert.True(accepted.Status == HttpStatusCode.Accepted, $"{accepted.Status} {accepted.Body}\n{server.Describe()}");
        string id = accepted.Body.GetProperty("id").GetString()!;
        Assert.Equal(1, accepted.Body.GetProperty("position").GetInt32());
        Assert.Equal(JsonValueKind.Number, accepted.Body.GetProperty("estimatedWaitSeconds").ValueKind);
        Assert.Equal($"/api/public/callbacks/{id}", accepted.Response.Headers.Location?.OriginalString);

        DateTime? invited = await CallbackCalls.WaitForInviteAsync(customer, TimeSpan.FromSeconds(30));
        double seconds = watch.Elapsed.TotalSeconds;
        output.WriteLine($"POST -> customer INVITE: {seconds:0.00} s");
        Assert.True(invited is not null, "the customer was not called within 30 s\n" + server.Describe(150));

        var again = await CallbackCalls.PostAsync(server, CallbackCalls.SampleKey, body);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.Status);
        Assert.True(again.Response.Headers.RetryAfter is not null, "429 without Retry-After");

        SippResult customerCall = await customer.WaitAsync();
        await customerSink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        JsonElement done = await CallbackCalls.WaitForStatusAsync(server, id, "Completed", TimeSpan.FromSeconds(15));
        await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));
        await agent.QuitAsync();
        string context = $"customer:\n{customerCall.Describe()}\nsink {customerSink.Describe()}\nstatus {done}\n{server.Describe(150)}";
        output.WriteLine(context);

        Assert.True(customerCall.Succeeded, "the customer's call failed\n" + context);
        string invite = customerCall.Messages.First(m => !m.Sent && m.Method == "INVITE").Text;
        Assert.StartsWith($"INVITE sip:{CallbackCalls.Customer}@127.0.0.2", SipText.StartLine(invite), StringComparison.Ordinal);
        Assert.Equal(id, SipText.Header(invite, "X-Telephony-Callback"));
        double customerHeard = CallbackCalls.MaxToneShare(customerSink.Audio, CallbackCalls.AgentTone);
        Assert.True(customerHeard >= 0.5, $"the customer should hear the agent's tone: {customerHeard:0.00}\n{context}");
        Assert.True(agent.ReceivedWavPath is not null, "the agent recorded nothing\n" + context);
        double agentHeard = CallbackCalls.MaxToneShare(WavFile.Read(agent.ReceivedWavPath!).Mono(), CallbackCalls.CustomerTone);
        Assert.True(agentHeard >= 0.5, $"the agent should hear the customer's tone: {agentHeard:0.00}\n{context}");
        Assert.Equal("1001", done.GetProperty("agent").GetString());
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());

        WebhookDelivery requested = await receiver.WaitForAsync(d => CallbackCalls.Field(d, "kind") == "callback_requested",
            TimeSpan.FromSeconds(10), () => context);
        WebhookDelivery completed = await receiver.WaitForAsync(d => CallbackCalls.Field(d, "kind") == "callback_completed",
            TimeSpan.FromSeconds(10), () => context);
        Assert.Equal(id, CallbackCalls.Field(requested, "callbackId"));
        Assert.Equal(id, CallbackCalls.Field(completed, "callbackId"));
        Assert.True(requested.SignatureValid(QueueCalls.Secret) && completed.SignatureValid(QueueCalls.Secret), "unsigned alert");
        await Task.Delay(1500); // a second delivery of either would show up by now
        Assert.Single(receiver.Deliveries, d => CallbackCalls.Field(d, "kind") == "callback_requested");
        Assert.Single(receiver.Deliveries, d => CallbackCalls.Field(d, "kind") == "callback_completed");
        await Health.AssertNoCallsLeftAsync(server);
    }
}
