using System.Text.Json;

namespace Telephony.Interop.Tests.Recording;

/// <summary>
/// <c>GET /api/recordings/reconcile</c>: an answered call whose audio file went missing is listed as a call without
/// audio, and a WAV in the recordings folder that belongs to no call is listed as a file without a call.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ReconcileApiTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<ReconcileApiTests>();

    [Fact]
    public async Task MissingAudioAndStrayFile_AreReported()
    {
        string data = RepoPaths.NewTempDirectory("cdr-reconcile-data");
        string dir = RepoPaths.NewTempDirectory("cdr-reconcile");
        await using ServerProcess server = await RecordingApi.StartAsync(ports, data, output);
        JsonElement clean = await RecordingApi.GetJsonAsync(server, "api/recordings/reconcile");
        Assert.Equal(0, clean.GetProperty("callsWithoutAudio").GetArrayLength());
        Assert.Equal(0, clean.GetProperty("filesWithoutCall").GetArrayLength());

        PcapSummary pcap = PcapBuilder.Write(Path.Combine(dir, "tone.pcap"),
            new PcapStream { Audio = WavFile.Read(TestAudio.Tone(1000, 1, Path.Combine(dir, "tone.wav"))).Mono() });
        SippResult call = await Sipp.RunAsync(new SippOptions
        {
            Scenario = "uac-media", Remote = server.SipHostPort, Service = "9000", LocalPort = ports.PeerSip(0), MediaPort = ports.PeerMedia(0),
            AuthUser = "1003", AuthPassword = RecordingApi.Password("1003"), AuthUri = $"9000@{server.SipHostPort}",
            Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
            DefaultPause = TimeSpan.FromSeconds(pcap.DurationSeconds + 0.5),
            Timeout = TimeSpan.FromSeconds(20), RecvTimeout = TimeSpan.FromSeconds(10),
        });
        Assert.True(call.Succeeded, call.Describe() + "\n" + server.Describe());
        JsonElement cdr = await RecordingApi.ClosedCallAsync(server, "1003", TimeSpan.FromSeconds(10));
        string id = cdr.GetProperty("id").GetString()!;
        JsonElement recording = await RecordingApi.ClosedRecordingAsync(server, id, TimeSpan.FromSeconds(10));
        string path = recording.GetProperty("path").GetString()!;
        Assert.Equal(0, (await RecordingApi.GetJsonAsync(server, "api/recordings/reconcile")).GetProperty("callsWithoutAudio").GetArrayLength());

        File.Delete(path);
        string stray = Path.Combine(data, "recordings", "2020", "01", "01", "stray.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(stray)!);
        File.Copy(Path.Combine(dir, "tone.wav"), stray);
        JsonElement report = await RecordingApi.GetJsonAsync(server, "api/recordings/reconcile");
        output.WriteLine(report.ToString());

        Assert.Equal([id], report.GetProperty("callsWithoutAudio").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([Path.GetFullPath(stray)], report.GetProperty("filesWithoutCall").EnumerateArray().Select(e => e.GetString()));
    }
}
