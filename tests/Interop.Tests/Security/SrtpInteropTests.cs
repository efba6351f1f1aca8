using System.Diagnostics;
using Telephony.Interop.Tests.Engine;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// SRTP for phones with a real peer: baresip with its srtp module and <c>mediaenc=srtp-mand</c> (RTP/SAVP + SDES a=crypto,
/// RFC 4568) against the real server: the echo number sends its audio back through SRTP, and an SRTP phone is bridged
/// to a plain phone with audio both ways and the call recorded.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class SrtpInteropTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<SrtpInteropTests>();

    [Fact]
    public async Task SrtpMandatoryBaresip_CallsEcho_HearsItsOwnTone()
    {
        await using ServerProcess server = await Engine.Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("srtp-echo");
        await using BaresipPeer phone = await StartAsync(server, 0, "1001", TestAudio.Tone(700, 3, Path.Combine(dir, "t.wav")), "srtp-mand");
        await phone.DialAsync($"sip:{Engine.Engine.EchoNumber}@{server.SipHostPort}");
        await phone.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await phone.HangupAsync();
        await phone.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));

        string context = $"{server.Describe()}\nphone:\n{phone.Log.Tail(40)}";
        Assert.True(phone.Log.Contains("SRTP is Enabled"), "SRTP was not negotiated\n" + context);
        Assert.True(phone.ReceivedWavPath is not null, "no recording\n" + context);
        short[] heard = WavFile.Read(phone.ReceivedWavPath!).Mono();
        double share = AudioAnalysis.ToneShare(heard, 700);
        Assert.True(share >= 0.7, $"the phone should hear its own 700 Hz back through SRTP: share {share:0.00}\n{context}");
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task SrtpPhoneCallsPlainPhone_BothHearTheOther_CallIsRecorded()
    {
        await using ServerProcess server = await Engine.Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("srtp-bridge");
        await using BaresipPeer a = await StartAsync(server, 0, "1001", TestAudio.Tone(440, 3, Path.Combine(dir, "a.wav")), "srtp-mand");
        await using BaresipPeer b = await StartAsync(server, 1, "1002", TestAudio.Tone(1000, 3, Path.Combine(dir, "b.wav")), null);
        int aLine = a.Log.Count, bLine = b.Log.Count;
        await a.DialAsync($"sip:1002@{server.SipHostPort}");
        await a.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15), aLine);
        await b.WaitForLogAsync("Call established", TimeSpan.FromSeconds(5), bLine);
        var talk = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await a.HangupAsync();
        await b.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10), bLine);

        string context = $"talk {talk.Elapsed.TotalSeconds:0.0} s\n{server.Describe()}\nA:\n{a.Log.Tail(30)}\nB:\n{b.Log.Tail(30)}";
        short[] aHeard = WavFile.Read(a.ReceivedWavPath ?? throw new InvalidOperationException("A: no recording\n" + context)).Mono();
        short[] bHeard = WavFile.Read(b.ReceivedWavPath ?? throw new InvalidOperationException("B: no recording\n" + context)).Mono();
        Assert.True(a.Log.Contains("SRTP is Enabled"), "A's media was not SRTP\n" + context);
        Assert.True(AudioAnalysis.ToneShare(aHeard, 1000) >= 0.7, $"the SRTP phone hears the plain one: {AudioAnalysis.ToneShare(aHeard, 1000):0.00}\n{context}");
        Assert.True(AudioAnalysis.ToneShare(bHeard, 440) >= 0.7, $"the plain phone hears the SRTP one: {AudioAnalysis.ToneShare(bHeard, 440):0.00}\n{context}");

        // The server records the call as usual: caller (the SRTP phone) left, the other side right.
        string? wav = Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "recordings"), "*.wav", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
        Assert.True(wav is not null, "no server recording\n" + context);
        (short[] left, short[] right) = Recording.RecordingApi.Channels(WavFile.Read(wav!));
        Assert.True(AudioAnalysis.ToneShare(left, 440) >= 0.7, "recording left = the SRTP caller's 440 Hz\n" + context);
        Assert.True(AudioAnalysis.ToneShare(right, 1000) >= 0.7, "recording right = the plain callee's 1 kHz\n" + context);
    }

    private Task<BaresipPeer> StartAsync(ServerProcess server, int index, string extension, string wav, string? mediaEncryption) =>
        BaresipPeer.StartRegisteredAsync(
            new BaresipOptions
            {
                Name = extension, SipPort = ports.PeerSip(index), ControlPort = ports.PeerSip(index) + 2, RtpPortMin = ports.PeerMedia(index),
                Account = BaresipPeer.AccountLine(extension, server.SipHostPort, Engine.Engine.Password(extension), autoAnswer: true,
                    mediaEncryption: mediaEncryption),
                AudioSourceWav = wav, QuitAfter = TimeSpan.FromSeconds(90),
                ExtraModules = mediaEncryption is null ? [] : ["srtp.so"],
            },
            output);
}
