using System.Net;
using System.Text.Json;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Interop.Tests.Recording;

/// <summary>
/// IVR and queue calls recorded end to end: a trunk caller (SIPp, RFC 4733 key 2) goes through the sample IVR into the
/// support queue and is answered by agent 1001. One stereo WAV per interaction from the server's answer to the hangup
/// (caller left; prompts, hold audio and agents right, Goertzel per channel), also across a blind transfer (REFER) to
/// 1002; the call record carries the IVR path and variables, queue, priority, wait, agent, talk time from the agent's
/// answer and the outcome; the queue events come in order.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class IvrQueueRecordingTests(ITestOutputHelper output)
{
    private const string Vip = "+15550000001";
    private readonly PortBlock ports = PortAllocator.For<IvrQueueRecordingTests>();

    [Fact]
    public async Task VipCallerPresses2_Agent1001Answers_StereoRecordingCdrAndQueueEvents()
    {
        string data = RepoPaths.NewTempDirectory("cdr-ivr-data");
        string dir = RepoPaths.NewTempDirectory("cdr-ivr");
        await using ServerProcess server = await QueueCalls.StartAsync(ports, data, output);
        await using BaresipPeer agent = await RecordingApi.PhoneAsync(server, ports, 1, "1001",
            TestAudio.Tone(1000, 60, Path.Combine(dir, "agent.wav")), true, output);
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(5));

        double welcomeSeconds = WavFile.Read(RepoPaths.Sound("ivr/welcome")).Mono().Length / 8000.0;
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary tone = PcapBuilder.Write(Path.Combine(dir, "tone.pcap"),
            new PcapStream { Audio = WavFile.Read(TestAudio.Tone(440, 5, Path.Combine(dir, "caller.wav"))).Mono() });
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, Vip,
            keys, keys.DurationSeconds + 3, tone, tone.DurationSeconds + 0.6));
        await agent.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));

        JsonElement cdr = await QueueCalls.ClosedCallAsync(server, Vip);
        string id = cdr.GetProperty("id").GetString()!;
        cdr = await QueueCalls.CallAsync(server, id, c => c.GetProperty("variables").GetString()?.Contains("ivr_done", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(5));
        JsonElement recording = await RecordingApi.ClosedRecordingAsync(server, id, TimeSpan.FromSeconds(10));
        JsonElement events = await QueueCalls.QueueEventsAsync(server, id);
        var wav = WavFile.Read(recording.GetProperty("path").GetString()!);
        (short[] left, short[] right) = RecordingApi.Channels(wav);
        short[] leftTalk = QueueCalls.Tail(left, 4.8, 1.0), rightTalk = QueueCalls.Tail(right, 4.8, 1.0);
        double callSeconds = (cdr.GetProperty("endedAt").GetDateTimeOffset() - cdr.GetProperty("answeredAt").GetDateTimeOffset()).TotalSeconds;
        string context = $"cdr {cdr}\nrecording {recording}\nevents {events}\nfile {wav.DurationSeconds:0.00} s vs call {callSeconds:0.00} s\n" +
            $"left 440 {QueueCalls.Dump(QueueCalls.SharePerSecond(left, 440))}\nright 1000 {QueueCalls.Dump(QueueCalls.SharePerSecond(right, 1000))}\n" +
            $"{call.Describe()}\n{server.Describe(120)}";
        output.WriteLine(context);

        Assert.True(call.Succeeded, "caller's call failed\n" + context);
        // The call record.
        Assert.Equal("Answered", cdr.GetProperty("outcome").GetString());
        Assert.Equal(Engine.Engine.Did, cdr.GetProperty("dialed").GetString());
        Assert.Equal("greeting office-hours vip-check mark-vip main-menu to-support", cdr.GetProperty("ivrPath").GetString());
        using (JsonDocument variables = JsonDocument.Parse(cdr.GetProperty("variables").GetString()!))
        {
            Assert.Equal("support", variables.RootElement.GetProperty("queue").GetString());
            Assert.Equal("answered", variables.RootElement.GetProperty("end_reason").GetString());
            Assert.Equal("yes", variables.RootElement.GetProperty("ivr_done").GetString());
        }

        Assert.Equal("support", cdr.GetProperty("queue").GetString());
        Assert.Equal(50, cdr.GetProperty("priority").GetInt32());
        Assert.Equal("1001", cdr.GetProperty("agent").GetString());
        long waitMs = cdr.GetProperty("waitMs").GetInt64(), talkMs = cdr.GetProperty("talkMs").GetInt64();
        Assert.True(waitMs is > 0 and < 10_000, "wait from queue entry to the agent's answer\n" + context);
        double ivrSeconds = callSeconds - (talkMs / 1000.0);
        Assert.True(talkMs > 4000 && ivrSeconds > keys.DurationSeconds - 1, "talk time counts from the agent's answer, not the IVR's\n" + context);
        Assert.Equal("Caller", cdr.GetProperty("hangupSide").GetString());
        // The queue events.
        Assert.Equal(["Entered", "AgentRung", "Answered"], QueueCalls.Kinds(events));
        Assert.Equal("1001", events[1].GetProperty("agent").GetString());
        Assert.Equal("1001", events[2].GetProperty("agent").GetString());
        Assert.All(events.EnumerateArray(), e => Assert.Equal("support", e.GetProperty("queue").GetString()));
        // The recording: stereo, answer to hangup, caller left, our side (IVR, then the agent) right.
        Assert.Single((await RecordingApi.GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(id)}/recordings")).EnumerateArray());
        Assert.Equal("Completed", recording.GetProperty("status").GetString());
        Assert.Equal(2, wav.Channels);
        Assert.True(Math.Abs(wav.DurationSeconds - callSeconds) <= 0.5, "recording length vs the call (answer to hangup)\n" + context);
        Assert.False(AudioAnalysis.IsSilent(right.AsSpan(0, (int)(welcomeSeconds * 8000))), "right channel should start with the greeting\n" + context);
        Assert.True(AudioAnalysis.ToneShare(leftTalk, 440) >= 0.7, "left channel should hold the caller's 440 Hz\n" + context);
        Assert.True(AudioAnalysis.ToneShare(rightTalk, 1000) >= 0.7, "right channel should hold the agent's 1 kHz\n" + context);
        Assert.True(AudioAnalysis.ToneShare(leftTalk, 1000) < 0.2 && AudioAnalysis.ToneShare(rightTalk, 440) < 0.2, "channels leak\n" + context);
    }

    [Fact]
    public async Task Agent1001BlindTransfersTo1002_OneRecordingRightChannelHas1001Then1002()
    {
        string config = IvrCalls.ConfigCopy("cdr-refer", yaml => yaml.Replace("      - agent: \"1002\"\n", "", StringComparison.Ordinal));
        string data = RepoPaths.NewTempDirectory("cdr-refer-data");
        string dir = RepoPaths.NewTempDirectory("cdr-refer");
        await using ServerProcess server = await QueueCalls.StartAsync(ports, data, output, configDirectory: config);
        using var agentSip = new RawSipClient(server.SipEndPoint, ports.PeerSip(1));
        Assert.Equal(200, SipText.StatusCode((await agentSip.RegisterAsync("1001", RecordingApi.Password("1001"), 600))[^1]));
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(5));
        await using BaresipPeer target = await RecordingApi.PhoneAsync(server, ports, 2, "1002",
            TestAudio.Tone(1800, 60, Path.Combine(dir, "target.wav")), true, output);

        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "2");
        PcapSummary tone = PcapBuilder.Write(Path.Combine(dir, "tone.pcap"),
            new PcapStream { Audio = WavFile.Read(TestAudio.Tone(440, 14, Path.Combine(dir, "caller.wav"))).Mono() });
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        await using SippProcess caller = SippProcess.Start(IvrCalls.Caller(server, ports.PeerSip(0), media, "+15550000002",
            keys, keys.DurationSeconds + 1, tone, tone.DurationSeconds + 0.5));

        // 1001: a scripted phone that answers, talks 1 kHz for ~3 s, then REFERs the caller to 1002 and leaves.
        var agent = new RawAgent(agentSip, "1001");
        await using var agentMedia = new RtpSink(IPAddress.Loopback, ports.PeerMedia(1));
        bool answered = await agent.AnswerAsync(agentMedia.EndPoint, TimeSpan.FromSeconds(20));
        int referStatus = 0;
        string? final = null;
        if (answered && RawCall.MediaEndPoint(RawCall.Body(agent.Invite!)) is { } serverMedia)
        {
            await using (new RtpSender(agentMedia, serverMedia, WavFile.Read(TestAudio.Tone(1000, 1, Path.Combine(dir, "agent.wav"))).Mono()))
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
            }

            referStatus = await agent.ReferAsync($"<sip:1002@{server.SipHostPort}>", TimeSpan.FromSeconds(5));
            final = referStatus == 202 ? await agent.WaitForFinalNotifyAsync(TimeSpan.FromSeconds(15)) : null;
            await agent.ByeAsync();
        }

        SippResult call = await caller.WaitAsync();
        await target.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));
        JsonElement cdr = await QueueCalls.ClosedCallAsync(server, "+15550000002");
        string id = cdr.GetProperty("id").GetString()!;
        JsonElement recordings = await RecordingApi.GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(id)}/recordings");
        JsonElement recording = await RecordingApi.ClosedRecordingAsync(server, id, TimeSpan.FromSeconds(10));
        JsonElement events = await QueueCalls.QueueEventsAsync(server, id);
        var wav = WavFile.Read(recording.GetProperty("path").GetString()!);
        (short[] left, short[] right) = RecordingApi.Channels(wav);
        double[] first = QueueCalls.SharePerSecond(right, 1000), second = QueueCalls.SharePerSecond(right, 1800);
        string context = $"refer {referStatus}, final {final}\ncdr {cdr}\nrecordings {recordings}\nevents {events}\n" +
            $"right 1000 {QueueCalls.Dump(first)}\nright 1800 {QueueCalls.Dump(second)}\nleft 440 {QueueCalls.Dump(QueueCalls.SharePerSecond(left, 440))}\n" +
            $"{call.Describe()}\n{server.Describe(150)}";
        output.WriteLine(context);

        Assert.True(answered, "agent 1001 was not rung\n" + context);
        Assert.Equal(202, referStatus);
        Assert.Equal("SIP/2.0 200 OK", final);
        Assert.True(call.Succeeded, "caller's call failed\n" + context);
        Assert.Equal(1, recordings.GetArrayLength());
        int agent1 = QueueCalls.FirstRun(first, 0.7, 2);
        Assert.True(agent1 >= 0, "right channel should hold agent 1001's 1 kHz\n" + context);
        int agent2 = QueueCalls.FirstRun(second, 0.7, 2, agent1 + 2);
        Assert.True(agent2 > agent1, "then agent 1002's 1.8 kHz\n" + context);
        Assert.True(second.Take(agent1 + 1).All(s => s < 0.3), "no 1002 before 1001\n" + context);
        Assert.True(AudioAnalysis.ToneShare(QueueCalls.Tail(left, 4, 1), 440) >= 0.7, "left channel: the caller's 440 Hz\n" + context);
        Assert.Equal("Answered", cdr.GetProperty("outcome").GetString());
        Assert.Equal("1001", cdr.GetProperty("agent").GetString());
        Assert.Equal(["Entered", "AgentRung", "Answered", "Transferred"], QueueCalls.Kinds(events));
        Assert.Equal("1001", events[3].GetProperty("agent").GetString());
        Assert.Equal("extension:1002", events[3].GetProperty("detail").GetString());
    }
}
