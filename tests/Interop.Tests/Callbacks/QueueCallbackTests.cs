using System.Net;
using System.Text.Json;
using Telephony.Interop.Tests.Engine;
using Telephony.Interop.Tests.Ivr;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Interop.Tests.Callbacks;

/// <summary>
/// A waiting caller takes the queue's callback offer (issue 13): every support agent is busy (1001 paused), caller A
/// (SIPp from the trunk, +15550000001) waits, hears the offer, presses 1 and confirms their number (1#), and is let go.
/// Caller B arrives after A and stays on the line. The queue shows A's callback ahead of B (its place kept). Once 1001
/// is free, 1001 is rung first for A's callback, answers, and the customer (SIPp behind the outbound trunk at 127.0.0.2)
/// is called and bridged: both hear each other's tone. Only then is B put through to 1001. A's call record says
/// CallbackRequested (not an abandon) and the callback's call record links back to it.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class QueueCallbackTests(ITestOutputHelper output)
{
    private const string CallerA = "+15550000001";
    private const string CallerB = "+15550000003";
    private readonly PortBlock ports = PortAllocator.For<QueueCallbackTests>();

    [Fact]
    public async Task WaitingCallerPresses1_KeepsPlace_AgentRungFirst_CustomerCalledAndBridged_ThenTheNextCaller()
    {
        string data = RepoPaths.NewTempDirectory("cb-queue-data");
        string dir = RepoPaths.NewTempDirectory("cb-queue");
        await using ServerProcess server = await CallbackCalls.StartAsync(ports, data, output, customerPeer: 2);
        await using BaresipPeer agent = await CallbackCalls.AgentAsync(server, ports, 1, "1001", dir, output);
        await PostAsync(server, "api/agents/1001/pause?reason=busy");
        // The customer answers the callback and hangs up after 4 s of talk.
        await using SippProcess customer = await CallbackCalls.StartCustomerAsync(ports, 2, dir, "uas-trunk-answer",
            new Dictionary<string, string> { ["@CUSTOMER@"] = CallerA });
        await using var customerSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), ports.PeerMedia(2) + 4);

        PcapSummary menu = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        // The second pcap continues the first one's stream (same SSRC, later sequence numbers and timestamps): a
        // restarted sequence would be taken for old, duplicate packets.
        PcapSummary takeOffer = PcapBuilder.Write(Path.Combine(dir, "offer.pcap"), new PcapStream
        {
            Audio = new short[2400], Digits = "11#", TrailingSilenceMs = 200, FirstSequence = 3000, FirstTimestamp = 400_000,
        });
        PcapSummary quiet = IvrCalls.Keys(dir, 0.3, "", "quiet.pcap");
        // A: into support, ~9 s in line (the offer comes with the first announcement after 4 s), then 1 and 1#; the
        // server says goodbye and hangs up.
        Task<SippResult> a = Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), ports.PeerMedia(0), CallerA,
            menu, menu.DurationSeconds + 9, takeOffer, 25));
        await server.WaitForLogAsync("Queue support: ", TimeSpan.FromSeconds(15));
        await Task.Delay(1500);
        // B: into support after A, stays on the line until an agent takes it (then hangs up a few seconds later).
        Task<SippResult> b = Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(3), ports.PeerMedia(3), CallerB,
            menu, menu.DurationSeconds + 26, quiet, 0.5));

        string booked = await server.WaitForLogAsync("will be called back at", TimeSpan.FromSeconds(40));
        Assert.Contains(CallerA, booked, StringComparison.Ordinal);
        JsonElement line = await WaitForLineAsync(server);
        string lineText = line.ToString();
        output.WriteLine("support line: " + lineText);
        var entries = line.EnumerateArray().ToList();
        Assert.True(entries.Count == 2, "the line should hold A's callback and B\n" + lineText);
        Assert.Equal("Callback", entries[0].GetProperty("kind").GetString());
        Assert.Equal(1, entries[0].GetProperty("position").GetInt32());
        Assert.Equal("Caller", entries[1].GetProperty("kind").GetString());
        Assert.Equal(2, entries[1].GetProperty("position").GetInt32());
        Assert.True(entries[0].GetProperty("waitedSeconds").GetDouble() > entries[1].GetProperty("waitedSeconds").GetDouble(),
            "the callback keeps A's original arrival\n" + lineText);

        await PostAsync(server, "api/agents/1001/resume");
        SippResult customerCall = await customer.WaitAsync();
        SippResult callerA = await a;
        SippResult callerB = await b;
        await customerSink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        await agent.QuitAsync();
        string context = $"A:\n{callerA.Describe()}\nB:\n{callerB.Describe()}\ncustomer:\n{customerCall.Describe()}\n" +
                         $"sink {customerSink.Describe()}\n{server.Describe(200)}";
        output.WriteLine(context);

        Assert.True(callerA.Succeeded, "caller A's call failed\n" + context);
        Assert.Contains("BYE", callerA.ReceivedRequests); // the server said goodbye
        Assert.True(customerCall.Succeeded, "the customer's call failed\n" + context);
        Assert.True(callerB.Succeeded, "caller B's call failed\n" + context);
        string invite = customerCall.Messages.First(m => !m.Sent && m.Method == "INVITE").Text;
        Assert.StartsWith($"INVITE sip:{CallerA}@127.0.0.2", SipText.StartLine(invite), StringComparison.Ordinal);
        double customerHeard = CallbackCalls.MaxToneShare(customerSink.Audio, CallbackCalls.AgentTone);
        Assert.True(customerHeard >= 0.5, $"the customer should hear the agent's tone: {customerHeard:0.00}\n{context}");
        // The agent's first call is the callback (B's call comes after it).
        string callbackHeard = new DirectoryInfo(agent.RecordingDirectory).GetFiles("*-dec.wav").OrderBy(f => f.LastWriteTimeUtc).First().FullName;
        double agentHeard = CallbackCalls.MaxToneShare(WavFile.Read(callbackHeard).Mono(), CallbackCalls.CustomerTone);
        Assert.True(agentHeard >= 0.5, $"the agent should hear the customer's tone: {agentHeard:0.00}\n{context}");

        // Order: the callback's bridge comes before B is put through.
        var lines = server.Log.Snapshot().ToList();
        int customerBridged = lines.FindIndex(l => l.Contains($"customer {CallerA} bridged to agent 1001", StringComparison.Ordinal));
        int bBridged = lines.FindIndex(l => l.Contains("bridged to agent 1001", StringComparison.Ordinal) && !l.Contains("callback", StringComparison.Ordinal));
        Assert.True(customerBridged > 0 && bBridged > customerBridged, $"customer bridged at line {customerBridged}, B at {bBridged}\n{context}");

        // A's own call ended as CallbackRequested (not an abandon); the callback's call record links back to it.
        JsonElement records = await CallRecordsAsync(server, CallerA);
        var items = records.GetProperty("items").EnumerateArray().ToList();
        JsonElement recordA = items.Single(i => i.GetProperty("dialed").GetString() == Engine.Engine.Did);
        JsonElement recordCallback = items.Single(i => i.GetProperty("callbackId").ValueKind == JsonValueKind.String);
        Assert.True(recordA.GetProperty("outcome").GetString() == "CallbackRequested", records.ToString());
        Assert.Equal(recordA.GetProperty("id").GetString(), recordCallback.GetProperty("callbackOf").GetString());
        Assert.Equal("Answered", recordCallback.GetProperty("outcome").GetString());
        Assert.Equal("1001", recordCallback.GetProperty("agent").GetString());
        await Health.AssertNoCallsLeftAsync(server);
    }

    /// <summary>The call records of <paramref name="number"/> once both (A's call and the callback) are closed.</summary>
    private static async Task<JsonElement> CallRecordsAsync(ServerProcess server, string number)
    {
        DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        JsonElement records;
        do
        {
            records = await RecordingApi.GetJsonAsync(server, $"api/calls?number={Uri.EscapeDataString(number)}&page=1&pageSize=10");
            var items = records.GetProperty("items").EnumerateArray().ToList();
            if (items.Count >= 2 && items.All(i => i.GetProperty("endedAt").ValueKind != JsonValueKind.Null && i.GetProperty("outcome").ValueKind == JsonValueKind.String)
                && items.Any(i => i.GetProperty("callbackId").ValueKind == JsonValueKind.String))
            {
                break;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < end);
        return records;
    }

    private static async Task PostAsync(ServerProcess server, string path)
    {
        using HttpResponseMessage r = await RecordingApi.Http.PostAsync(new Uri(server.HttpBase, path), null);
        Assert.True(r.IsSuccessStatusCode, $"POST {path}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    /// <summary>The support queue's entries once it holds two (A's callback and B).</summary>
    private static async Task<JsonElement> WaitForLineAsync(ServerProcess server)
    {
        DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonElement calls;
        do
        {
            JsonElement queues = await RecordingApi.GetJsonAsync(server, "api/queues");
            calls = queues.GetProperty("queues").EnumerateArray().First(q => q.GetProperty("name").GetString() == "support").GetProperty("calls");
            if (calls.GetArrayLength() >= 2)
            {
                break;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < end);
        return calls;
    }
}
