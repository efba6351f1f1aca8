using System.Text.Json;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Interop.Tests.Promises;

/// <summary>
/// Disposition codes end to end: a trunk caller reaches the support queue through the sample IVR and agent 1001 (raw SIP)
/// answers; the codes are set by <c>POST /api/calls/{id}/disposition</c> (an unknown code is refused with the allowed
/// ones) and from the agent's phone with RFC 4733 keys <c>*5</c> + index; both land on the call record, in its
/// disposition history and in the event log.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class DispositionTests(ITestOutputHelper output)
{
    private const string Caller = "+15550000051";
    private readonly PortBlock ports = PortAllocator.For<DispositionTests>();

    [Fact]
    public async Task ApiSetsResolved_AgentKeysStar52_RecordHasResolvedAndFollowUp()
    {
        string data = RepoPaths.NewTempDirectory("disposition-data");
        await using ServerProcess server = await QueueCalls.StartAsync(ports, data, output);
        await using PromiseCalls calls = PromiseCalls.For(server, Caller);
        await calls.RegisterAgentAsync(ports);
        await calls.DialAsync(ports);
        await calls.ChooseSupportAsync();
        await calls.AnswerAsAgentAsync(ports);
        string id = await calls.CallIdAsync();

        (int badStatus, string badBody) = await calls.PostAsync($"api/calls/{Uri.EscapeDataString(id)}/disposition", new { codes = new[] { "nonsense" } });
        (int status, string body) = await calls.PostAsync($"api/calls/{Uri.EscapeDataString(id)}/disposition",
            new { codes = new[] { "resolved" }, note = "printer fixed" });
        await calls.AgentRtp!.KeysAsync("*52");
        JsonElement record = await QueueCalls.CallAsync(server, id, c => c.GetProperty("dispositions").GetArrayLength() == 2, TimeSpan.FromSeconds(5));
        await calls.Caller!.ByeAsync();
        record = await QueueCalls.CallAsync(server, id, c => c.GetProperty("endedAt").ValueKind != JsonValueKind.Null, TimeSpan.FromSeconds(10));
        JsonElement history = await RecordingApi.GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(id)}/dispositions");
        JsonElement timeline = await RecordingApi.GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(id)}/timeline");
        string context = $"bad {badStatus} {badBody}\nset {status} {body}\nrecord {record}\nhistory {history}\ntimeline {timeline}\n{server.Describe(80)}";
        output.WriteLine(context);

        Assert.Equal(400, badStatus);
        Assert.Contains("wrong-number", badBody, StringComparison.Ordinal); // the allowed codes are named
        Assert.Equal(200, status);
        Assert.Equal(["resolved", "follow-up"], record.GetProperty("dispositions").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("printer fixed", record.GetProperty("dispositionNote").GetString());
        Assert.Equal("1001", record.GetProperty("agent").GetString());
        Assert.Equal(2, history.GetArrayLength());
        Assert.Contains("\"api\"", history[0].ToString(), StringComparison.Ordinal);
        Assert.Contains("\"dtmf\"", history[1].ToString(), StringComparison.Ordinal);
        Assert.Contains("call.disposition", timeline.ToString(), StringComparison.Ordinal);
    }
}
