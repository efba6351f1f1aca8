using Telephony.Interop.Tests.Engine;

namespace Telephony.Interop.Tests.WebRtc;

/// <summary>
/// The server side of a WebRTC leg against a real, non-browser WebRTC-style peer: baresip with its <c>ice</c> (full ICE,
/// controlling) and <c>dtls_srtp</c> (DTLS-SRTP, RFC 5764) modules and <c>rtcp_mux yes</c> offers UDP/TLS/RTP/SAVP(F);
/// the server answers ICE-lite, takes the DTLS server role, verifies baresip's certificate against its a=fingerprint
/// and carries the audio as SRTP on one port. Checked by tone in baresip's recording and in the server's recording.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class DtlsSrtpInteropTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<DtlsSrtpInteropTests>();

    [Theory]
    [InlineData("PCMU")]
    [InlineData("opus/48000/2")]
    public async Task DtlsSrtpIceBaresip_CallsEcho_HearsItsOwnTone(string codec)
    {
        await using ServerProcess server = await Engine.Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("dtls-echo");
        await using BaresipPeer phone = await StartAsync(server, 0, "1001", TestAudio.Tone(700, 3, Path.Combine(dir, "t.wav")), codec);
        await phone.DialAsync($"sip:{Engine.Engine.EchoNumber}@{server.SipHostPort}");
        await phone.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15));
        await phone.WaitForLogAsync("DTLS-SRTP complete", TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await phone.HangupAsync();
        await phone.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));

        string context = $"{server.Describe()}\nphone:\n{phone.Log.Tail(60)}";
        Assert.True(phone.Log.Contains("verified sha-256 fingerprint OK"), "baresip did not verify our certificate\n" + context);
        Assert.True(phone.Log.Contains("RTP/RTCP multiplexing enabled"), "no rtcp-mux\n" + context);
        Assert.True(phone.Log.Contains($"Set audio decoder: {codec.Split('/')[0]}"), $"not {codec}\n" + context);
        Assert.True(phone.ReceivedWavPath is not null, "no recording\n" + context);
        WavFile wav = WavFile.Read(phone.ReceivedWavPath!);
        double share = AudioAnalysis.ToneShare(wav.Mono(), 700, wav.SampleRate);
        Assert.True(share >= 0.7, $"the phone should hear its own 700 Hz back through DTLS-SRTP ({codec}): share {share:0.00}\n{context}");
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task DtlsSrtpIceBaresip_CallsPlainPhone_BothHearTheOther_CallIsRecorded()
    {
        await using ServerProcess server = await Engine.Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("dtls-bridge");
        await using BaresipPeer a = await StartAsync(server, 0, "1001", TestAudio.Tone(440, 3, Path.Combine(dir, "a.wav")), "opus/48000/2");
        await using BaresipPeer b = await StartAsync(server, 1, "1002", TestAudio.Tone(1000, 3, Path.Combine(dir, "b.wav")), null);
        int aLine = a.Log.Count, bLine = b.Log.Count;
        await a.DialAsync($"sip:1002@{server.SipHostPort}");
        await a.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15), aLine);
        await b.WaitForLogAsync("Call established", TimeSpan.FromSeconds(5), bLine);
        await a.WaitForLogAsync("DTLS-SRTP complete", TimeSpan.FromSeconds(10), aLine);
        await Task.Delay(TimeSpan.FromSeconds(4));
        await a.HangupAsync();
        await b.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10), bLine);

        string context = $"{server.Describe()}\nA:\n{a.Log.Tail(40)}\nB:\n{b.Log.Tail(30)}";
        WavFile aWav = WavFile.Read(a.ReceivedWavPath ?? throw new InvalidOperationException("A: no recording\n" + context));
        WavFile bWav = WavFile.Read(b.ReceivedWavPath ?? throw new InvalidOperationException("B: no recording\n" + context));
        double aHears = AudioAnalysis.ToneShare(aWav.Mono(), 1000, aWav.SampleRate);
        double bHears = AudioAnalysis.ToneShare(bWav.Mono(), 440, bWav.SampleRate);
        Assert.True(aHears >= 0.7, $"the DTLS-SRTP/Opus phone hears the plain one: {aHears:0.00}\n{context}");
        Assert.True(bHears >= 0.7, $"the plain phone hears the DTLS-SRTP/Opus one: {bHears:0.00}\n{context}");

        // The server records as usual, at 8 kHz: caller (the WebRTC-style phone) left, the other side right.
        string? recording = Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "recordings"), "*.wav", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
        Assert.True(recording is not null, "no server recording\n" + context);
        WavFile stereo = WavFile.Read(recording!);
        Assert.Equal(8000, stereo.SampleRate);
        (short[] left, short[] right) = Recording.RecordingApi.Channels(stereo);
        Assert.True(AudioAnalysis.ToneShare(left, 440) >= 0.7, "recording left = the Opus caller's 440 Hz\n" + context);
        Assert.True(AudioAnalysis.ToneShare(right, 1000) >= 0.7, "recording right = the plain callee's 1 kHz\n" + context);
    }

    /// <summary>A baresip: with <paramref name="codec"/> it runs ice + dtls_srtp + rtcp-mux; null = a plain PCMU phone.</summary>
    private Task<BaresipPeer> StartAsync(ServerProcess server, int index, string extension, string wav, string? codec)
    {
        string account = BaresipPeer.AccountLine(extension, server.SipHostPort, Engine.Engine.Password(extension), autoAnswer: true,
            codecs: codec ?? "PCMU", mediaEncryption: codec is null ? null : "dtls_srtp");
        return RegisteredAsync(BaresipPeer.StartAsync(
            new BaresipOptions
            {
                Name = extension, SipPort = ports.PeerSip(index), ControlPort = ports.PeerSip(index) + 2, RtpPortMin = ports.PeerMedia(index),
                Account = codec is null ? account : account + ";medianat=ice",
                AudioSourceWav = wav, QuitAfter = TimeSpan.FromSeconds(90),
                ExtraModules = codec is null ? [] : ["dtls_srtp.so", "ice.so", "opus.so"],
                ExtraConfig = codec is null ? [] : ["rtcp_mux yes"],
            },
            output));
    }

    private static async Task<BaresipPeer> RegisteredAsync(Task<BaresipPeer> starting)
    {
        BaresipPeer peer = await starting;
        try
        {
            await peer.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }

        return peer;
    }
}
