using System.Text.Json;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Interop.Tests.Promises;

/// <summary>
/// The post-call survey end to end: a trunk caller reaches the support queue (which names the <c>csat</c> survey), agent
/// 1001 (raw SIP) answers and hangs up first; the caller stays on the server, keys the score 2 and then 1 ("solved") as
/// RFC 4733 digits, and the server hangs up after thanking. The score and the second answer land on the call record and
/// in the event log, talk time ends at the agent's BYE, and the low score raises a signed <c>low_csat</c> webhook alert.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class SurveyTests(ITestOutputHelper output)
{
    private const string Caller = "+15550000052";
    private readonly PortBlock ports = PortAllocator.For<SurveyTests>();

    [Fact]
    public async Task AgentHangsUpFirst_CallerKeys2_ScoreOnRecordAndLowCsatAlert()
    {
        string data = RepoPaths.NewTempDirectory("survey-data");
        await using var receiver = new WebhookReceiver(ports.PeerSip(7));
        receiver.Start();
        await using ServerProcess server = await QueueCalls.StartAsync(ports, data, output, receiver: receiver);
        await using PromiseCalls calls = PromiseCalls.For(server, Caller);
        await calls.RegisterAgentAsync(ports);
        await calls.DialAsync(ports);
        await calls.ChooseSupportAsync();
        await calls.AnswerAsAgentAsync(ports);
        string id = await calls.CallIdAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await calls.Agent!.ByeAsync();

        // The survey prompt barges in: the score as soon as it starts, the second answer after it moved on.
        await server.WaitForLogAsync("goes through survey csat", TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await calls.CallerRtp!.KeysAsync("2");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await calls.CallerRtp.KeysAsync("1");
        bool hungUp = await calls.Caller!.WaitForRequestAsync("BYE", TimeSpan.FromSeconds(20));

        JsonElement record = await QueueCalls.CallAsync(server, id,
            c => c.GetProperty("endedAt").ValueKind != JsonValueKind.Null && c.GetProperty("csat").ValueKind == JsonValueKind.Number,
            TimeSpan.FromSeconds(10));
        WebhookDelivery alert = await receiver.WaitForAsync(d => d.Body.Contains("low_csat", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), () => server.Describe(80));
        JsonElement timeline = await RecordingApi.GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(id)}/timeline");
        string context = $"record {record}\nalert {alert.Body}\ntimeline {timeline}\n{server.Describe(80)}";
        output.WriteLine(context);

        Assert.True(hungUp, "the server did not hang up after the survey\n" + context);
        Assert.Equal(2, record.GetProperty("csat").GetInt32());
        Assert.Equal("1", record.GetProperty("survey").GetProperty("solved").GetString());
        Assert.Equal("Answered", record.GetProperty("outcome").GetString());
        Assert.Equal("1001", record.GetProperty("agent").GetString());
        double callSeconds = (record.GetProperty("endedAt").GetDateTimeOffset() - record.GetProperty("answeredAt").GetDateTimeOffset()).TotalSeconds;
        Assert.True(record.GetProperty("talkMs").GetInt64() / 1000.0 < callSeconds - 2, "talk time ends at the agent's BYE\n" + context);
        Assert.Contains("survey.completed", timeline.ToString(), StringComparison.Ordinal);
        using JsonDocument body = JsonDocument.Parse(alert.Body);
        Assert.Equal("low_csat", body.RootElement.GetProperty("kind").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("score").GetInt32());
        Assert.Equal(id, body.RootElement.GetProperty("callId").GetString());
        Assert.True(alert.SignatureValid(QueueCalls.Secret), "bad signature\n" + context);
    }
}
