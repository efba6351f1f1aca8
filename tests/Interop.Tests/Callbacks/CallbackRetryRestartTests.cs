using System.Net;
using System.Text.Json;
using Telephony.Interop.Tests.Engine;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Interop.Tests.Callbacks;

/// <summary>
/// Callbacks that do not go through at once (issue 13). Retries: the customer's line is busy (SIPp behind the trunk
/// answers 486) on each of the queue's 2 attempts, 1 s apart: each attempt is on record, the agent is released after each,
/// and the callback ends Failed with a <c>callback_failed</c> alert at the webhook. Restart: a web callback waiting for an
/// agent survives a server stop (persisted) and, once an agent registers after the restart, the customer is called
/// exactly once.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class CallbackRetryRestartTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<CallbackRetryRestartTests>();

    [Fact]
    public async Task CustomerBusyOnEveryAttempt_RetriedPerPolicy_ThenCallbackFailedAlert_AgentReleased()
    {
        string data = RepoPaths.NewTempDirectory("cb-retry-data");
        string dir = RepoPaths.NewTempDirectory("cb-retry");
        await using var receiver = new WebhookReceiver(ports.PeerSip(7));
        receiver.Start();
        await using ServerProcess server = await CallbackCalls.StartAsync(ports, data, output, customerPeer: 2, receiver,
            q => CallbackCalls.FastQueues(q, attempts: 2, retrySeconds: 1));
        await using BaresipPeer agent = await CallbackCalls.AgentAsync(server, ports, 1, "1001", dir, output);
        await using SippProcess customer = await CallbackCalls.StartCustomerAsync(ports, 2, dir, "uas-trunk-reject",
            new Dictionary<string, string> { ["@STATUS@"] = "486" }, calls: 2, timeout: TimeSpan.FromSeconds(30));

        var accepted = await CallbackCalls.PostAsync(server, CallbackCalls.SampleKey, new { number = CallbackCalls.Customer });
        Assert.True(accepted.Status == HttpStatusCode.Accepted, $"{accepted.Status} {accepted.Body}");
        string id = accepted.Body.GetProperty("id").GetString()!;
        SippResult customerCalls = await customer.WaitAsync();
        JsonElement failed = await CallbackCalls.WaitForStatusAsync(server, id, "Failed", TimeSpan.FromSeconds(20));
        WebhookDelivery alert = await receiver.WaitForAsync(d => CallbackCalls.Field(d, "kind") == "callback_failed",
            TimeSpan.FromSeconds(10), () => server.Describe(150));
        JsonElement detail = await RecordingApi.GetJsonAsync(server, $"api/callbacks/{id}");
        JsonElement agentState = await RecordingApi.GetJsonAsync(server, "api/agents/1001");
        string context = $"customer:\n{customerCalls.Describe()}\nstatus {failed}\ndetail {detail}\nagent {agentState}\n{server.Describe(150)}";
        output.WriteLine(context);

        Assert.True(customerCalls.Succeeded, "the customer should get two INVITEs and ACK both 486\n" + context);
        Assert.Equal(2, customerCalls.Messages.Count(m => !m.Sent && m.Method == "INVITE"));
        Assert.Equal(2, failed.GetProperty("attempts").GetInt32());
        var attempts = detail.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([1, 2], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.All(attempts, a => Assert.Equal("Busy", a.GetProperty("result").GetString()));
        Assert.All(attempts, a => Assert.Equal("1001", a.GetProperty("agent").GetString()));
        Assert.NotEqual(attempts[0].GetProperty("callId").GetString(), attempts[1].GetProperty("callId").GetString());
        Assert.Equal(id, CallbackCalls.Field(alert, "callbackId"));
        Assert.Equal("Failed", CallbackCalls.Field(alert, "status"));
        Assert.True(alert.SignatureValid(QueueCalls.Secret), "unsigned alert");
        Assert.NotEqual("OnCall", agentState.GetProperty("state").GetString());
        await agent.QuitAsync();
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task PendingCallbackSurvivesARestart_CustomerCalledExactlyOnce()
    {
        string data = RepoPaths.NewTempDirectory("cb-restart-data");
        string dir = RepoPaths.NewTempDirectory("cb-restart");
        string id;
        await using (ServerProcess first = await CallbackCalls.StartAsync(ports, data, output, customerPeer: 2))
        {
            // Nobody is logged in: the callback waits in line.
            var accepted = await CallbackCalls.PostAsync(first, CallbackCalls.SampleKey, new { number = CallbackCalls.Customer, name = "Ada" });
            Assert.True(accepted.Status == HttpStatusCode.Accepted, $"{accepted.Status} {accepted.Body}");
            id = accepted.Body.GetProperty("id").GetString()!;
            Assert.Equal("Pending", (await CallbackCalls.StatusAsync(first, id)).GetProperty("status").GetString());
            await first.StopAsync();
        }

        await using ServerProcess second = await CallbackCalls.StartAsync(ports, data, output, customerPeer: 2);
        await second.WaitForLogAsync("1 back in line at their place", TimeSpan.FromSeconds(10));
        JsonElement waiting = await CallbackCalls.StatusAsync(second, id);
        Assert.Equal(("Pending", 1), (waiting.GetProperty("status").GetString(), waiting.GetProperty("position").GetInt32()));
        await using SippProcess customer = await CallbackCalls.StartCustomerAsync(ports, 2, dir, "uas-trunk-answer",
            new Dictionary<string, string> { ["@HOLD_MS@"] = "2000" });
        await using BaresipPeer agent = await CallbackCalls.AgentAsync(second, ports, 1, "1001", dir, output);
        SippResult customerCall = await customer.WaitAsync();
        JsonElement done = await CallbackCalls.WaitForStatusAsync(second, id, "Completed", TimeSpan.FromSeconds(15));
        await Task.Delay(1500); // a second call would have started by now
        string context = $"customer:\n{customerCall.Describe()}\nstatus {done}\n{second.Describe(150)}";
        output.WriteLine(context);

        Assert.True(customerCall.Succeeded, "the customer's call failed\n" + context);
        Assert.Equal(1, customerCall.Messages.Count(m => !m.Sent && m.Method == "INVITE"));
        Assert.Equal(1, second.Log.CountOf($"ready, calling {CallbackCalls.Customer} via trunk"));
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
        await agent.QuitAsync();
        await Health.AssertNoCallsLeftAsync(second);
    }
}
