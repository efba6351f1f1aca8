using System.Diagnostics;

namespace Telephony.Interop.Tests.Harness;

/// <summary>Self-test of <see cref="BaresipPeer"/>: a direct baresip → baresip call (no server).</summary>
[Collection(PeersCollection.Name)]
public sealed class BaresipHarnessTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<BaresipHarnessTests>();

    [Fact]
    public async Task DirectCall_EachRecordingHoldsTheOtherSidesAudio()
    {
        string dir = RepoPaths.NewTempDirectory("baresip-self");
        string speech = TestAudio.Speech("Hello from the caller. This sentence is the caller's audio.", Path.Combine(dir, "speech.wav"));
        string tone = TestAudio.Tone(1000, 3, Path.Combine(dir, "tone.wav"));

        await using BaresipPeer callee = await BaresipPeer.StartAsync(
            new BaresipOptions
            {
                Name = "callee", SipPort = ports.PeerSip(0), ControlPort = ports.PeerSip(0) + 2, RtpPortMin = ports.PeerMedia(0),
                Account = BaresipPeer.AccountLine("callee", $"127.0.0.1:{ports.PeerSip(0)}", registerSeconds: 0),
                AudioSourceWav = tone, QuitAfter = TimeSpan.FromSeconds(60),
            },
            output);
        await using BaresipPeer caller = await BaresipPeer.StartAsync(
            new BaresipOptions
            {
                Name = "caller", SipPort = ports.PeerSip(1), ControlPort = ports.PeerSip(1) + 2, RtpPortMin = ports.PeerMedia(1),
                Account = BaresipPeer.AccountLine("caller", $"127.0.0.1:{ports.PeerSip(1)}", registerSeconds: 0),
                AudioSourceWav = speech, QuitAfter = TimeSpan.FromSeconds(60),
            },
            output);

        await caller.DialAsync($"sip:callee@127.0.0.1:{ports.PeerSip(0)}");
        await caller.WaitForLogAsync("Call established", TimeSpan.FromSeconds(10));
        await callee.WaitForLogAsync("Call established", TimeSpan.FromSeconds(10));
        var talk = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await caller.HangupAsync();
        talk.Stop();
        await callee.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));
        await caller.QuitAsync();
        await callee.QuitAsync();

        Assert.NotNull(caller.ReceivedWavPath);
        Assert.NotNull(callee.ReceivedWavPath);
        short[] callerHeard = WavFile.Read(caller.ReceivedWavPath).Mono();
        short[] calleeHeard = WavFile.Read(callee.ReceivedWavPath).Mono();
        double seconds = talk.Elapsed.TotalSeconds;
        output.WriteLine($"talk {seconds:0.00} s; caller heard {callerHeard.Length / 8000.0:0.00} s, callee heard {calleeHeard.Length / 8000.0:0.00} s");

        Assert.False(AudioAnalysis.IsSilent(callerHeard));
        Assert.False(AudioAnalysis.IsSilent(calleeHeard));
        Assert.InRange(callerHeard.Length / 8000.0, seconds - 1, seconds + 1);
        Assert.InRange(calleeHeard.Length / 8000.0, seconds - 1, seconds + 1);
        Assert.InRange(AudioAnalysis.ToneShare(callerHeard, 1000), 0.8, 1.0);
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(WavFile.Read(speech).Mono(), calleeHeard);
        Assert.True(corr > 0.8, $"callee heard the caller's speech with correlation {corr:0.00} (lag {lag:0.00} s)");
    }
}
