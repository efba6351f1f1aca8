using System.Diagnostics;
using System.Text.Json;

namespace Telephony.Interop.Tests.Recording;

/// <summary>
/// Every answered call is recorded (stereo WAV: caller left, our side right), has a CDR row served by the HTTP API,
/// downloads with Range requests, and survives SIGKILL as a repaired WAV marked interrupted.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class LiveRecordingTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<LiveRecordingTests>();

    [Fact]
    public async Task BridgedCall_RecordingHasCallerLeftCalleeRight_CdrRow_RangeDownload()
    {
        string data = RepoPaths.NewTempDirectory("rec-data");
        string dir = RepoPaths.NewTempDirectory("rec-bridged");
        await using ServerProcess server = await RecordingApi.StartAsync(ports, data, output);
        await using BaresipPeer a = await RecordingApi.PhoneAsync(server, ports, 0, "1001", TestAudio.Tone(1000, 10, Path.Combine(dir, "a.wav")), true, output);
        await using BaresipPeer b = await RecordingApi.PhoneAsync(server, ports, 1, "1002", TestAudio.Tone(440, 10, Path.Combine(dir, "b.wav")), true, output);

        await a.DialAsync($"sip:1002@{server.SipHostPort}");
        await a.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15));
        var talk = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await a.HangupAsync();
        talk.Stop();
        await b.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));

        JsonElement call = await RecordingApi.ClosedCallAsync(server, "1001", TimeSpan.FromSeconds(10));
        string callId = call.GetProperty("id").GetString()!;
        JsonElement recording = await RecordingApi.ClosedRecordingAsync(server, callId, TimeSpan.FromSeconds(10));
        string path = recording.GetProperty("path").GetString()!;
        var wav = WavFile.Read(path);
        (short[] left, short[] right) = RecordingApi.Channels(wav);
        double leftTone = AudioAnalysis.ToneShare(left, 1000), rightTone = AudioAnalysis.ToneShare(right, 440);
        double talkSeconds = call.GetProperty("talkMs").GetInt64() / 1000.0;
        string context = $"call {call}\nrecording {recording}\nfile {wav.DurationSeconds:0.00} s, left 1 kHz share {leftTone:0.00}, " +
            $"right 440 Hz share {rightTone:0.00}, talk {talk.Elapsed.TotalSeconds:0.00} s (CDR {talkSeconds:0.00} s)\n{server.Describe()}";

        Assert.Equal("1001", call.GetProperty("caller").GetString());
        Assert.Equal("1002", call.GetProperty("dialed").GetString());
        Assert.Equal("Answered", call.GetProperty("outcome").GetString());
        Assert.Equal("Caller", call.GetProperty("hangupSide").GetString());
        Assert.Equal("Completed", recording.GetProperty("status").GetString());
        Assert.Matches(@"[/\\]\d{4}[/\\]\d{2}[/\\]\d{2}[/\\][^/\\]+\.wav$", path);
        Assert.Equal(64, recording.GetProperty("sha256").GetString()!.Length);
        Assert.Equal(8000, wav.SampleRate);
        Assert.True(leftTone >= 0.7, "left channel should hold the caller's 1 kHz tone\n" + context);
        Assert.True(rightTone >= 0.7, "right channel should hold the callee's 440 Hz tone\n" + context);
        Assert.True(AudioAnalysis.ToneShare(left, 440) < 0.2 && AudioAnalysis.ToneShare(right, 1000) < 0.2, "channels leak\n" + context);
        Assert.True(Math.Abs(wav.DurationSeconds - talkSeconds) <= 0.5, "recording length vs the CDR's talk time\n" + context);
        Assert.True(Math.Abs(wav.DurationSeconds - talk.Elapsed.TotalSeconds) <= 0.5, "recording length vs the call\n" + context);

        long id = recording.GetProperty("id").GetInt64();
        (int status, byte[] body, string? range) = await RecordingApi.GetRangeAsync(server, $"api/recordings/{id}/audio", 0, 43);
        Assert.True(status == 206, $"Range request: {status}\n{context}");
        Assert.Equal(44, body.Length);
        Assert.Equal("RIFF"u8.ToArray(), body[..4]);
        Assert.Equal($"bytes 0-43/{new FileInfo(path).Length}", range);
    }

    [Fact]
    public async Task Sigkill_DuringEchoCall_RestartRepairsRecording_MarksItAndTheCdrInterrupted()
    {
        string data = RepoPaths.NewTempDirectory("rec-kill");
        string dir = RepoPaths.NewTempDirectory("rec-kill-audio");
        string callId;
        double talked;
        ServerProcess first = await RecordingApi.StartAsync(ports, data, output);
        await using (first)
        {
            await using BaresipPeer a = await RecordingApi.PhoneAsync(first, ports, 0, "1001", TestAudio.Tone(1000, 10, Path.Combine(dir, "a.wav")), true, output);
            await a.DialAsync($"sip:9000@{first.SipHostPort}");
            await a.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15));
            var talk = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(3));
            JsonElement active = await RecordingApi.GetJsonAsync(first, "api/calls?number=1001");
            callId = active.GetProperty("items")[0].GetProperty("id").GetString()!;
            first.Kill();
            talked = talk.Elapsed.TotalSeconds;
            await Task.Delay(300);
        }

        await using ServerProcess server = await RecordingApi.StartAsync(ports, data, output);
        JsonElement call = await RecordingApi.GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(callId)}");
        JsonElement recording = (await RecordingApi.GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(callId)}/recordings"))[0];
        string path = recording.GetProperty("path").GetString()!;
        var wav = WavFile.Read(path);
        (short[] left, short[] right) = RecordingApi.Channels(wav);
        string context = $"call {call}\nrecording {recording}\nfile {wav.DurationSeconds:0.00} s after {talked:0.00} s of talk\n{server.Describe()}";

        Assert.Equal("Interrupted", call.GetProperty("outcome").GetString());
        Assert.NotEqual(JsonValueKind.Null, call.GetProperty("endedAt").ValueKind);
        Assert.Equal("Interrupted", recording.GetProperty("status").GetString());
        Assert.True(wav.DurationSeconds >= talked - 0.6 && wav.DurationSeconds <= talked + 0.5, "audio up to the kill\n" + context);
        Assert.True(AudioAnalysis.ToneShare(left, 1000) >= 0.7, "left: the caller's tone\n" + context);
        Assert.True(AudioAnalysis.ToneShare(right, 1000) >= 0.7, "right: the echo of it\n" + context);
        Assert.Equal(new FileInfo(path).Length, recording.GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task RecordingFolderUnusable_CallContinues_RecordingFailedAlertAndHealthCount()
    {
        string data = RepoPaths.NewTempDirectory("rec-broken");
        string blocker = Path.Combine(data, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the recordings folder should be");
        await using ServerProcess server = await RecordingApi.StartAsync(ports, data, output,
            new Dictionary<string, string?> { ["TELEPHONY_RECORDING__DIRECTORY"] = Path.Combine(blocker, "recordings") });
        string dir = RepoPaths.NewTempDirectory("rec-broken-audio");
        PcapSummary pcap = PcapBuilder.Write(Path.Combine(dir, "tone.pcap"),
            new PcapStream { Audio = WavFile.Read(TestAudio.Tone(1000, 1, Path.Combine(dir, "tone.wav"))).Mono() });

        SippResult call = await Sipp.RunAsync(new SippOptions
        {
            Scenario = "uac-media", Remote = server.SipHostPort, Service = "9000", LocalPort = ports.PeerSip(0), MediaPort = ports.PeerMedia(0),
            AuthUser = "1003", AuthPassword = "pass1003", AuthUri = $"9000@{server.SipHostPort}",
            Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
            DefaultPause = TimeSpan.FromSeconds(pcap.DurationSeconds + 0.5),
            Timeout = TimeSpan.FromSeconds(20), RecvTimeout = TimeSpan.FromSeconds(10),
        });
        Assert.True(call.Succeeded, "the call must go on without its recording\n" + call.Describe() + "\n" + server.Describe());

        JsonElement cdr = await RecordingApi.ClosedCallAsync(server, "1003", TimeSpan.FromSeconds(10));
        Assert.Equal("Answered", cdr.GetProperty("outcome").GetString());
        JsonElement alerts = default;
        for (int i = 0; i < 50; i++)
        {
            alerts = await RecordingApi.GetJsonAsync(server, "api/alerts");
            if (alerts.GetArrayLength() > 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(alerts.GetArrayLength() == 1, $"one alert expected: {alerts}\n{server.Describe()}");
        Assert.Equal("recording_failed", alerts[0].GetProperty("kind").GetString());
        JsonElement health = await RecordingApi.GetJsonAsync(server, "health");
        Assert.Equal(1, health.GetProperty("recording").GetProperty("failed").GetInt64());
        Assert.Equal(0, (await RecordingApi.GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(cdr.GetProperty("id").GetString()!)}/recordings")).GetArrayLength());
    }
}
