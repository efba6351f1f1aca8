using System.Diagnostics;

namespace Telephony.Interop.Tests.Engine;

/// <summary>Extension to extension through the server: two registered baresips, audio both ways.</summary>
[Collection(PeersCollection.Name)]
public sealed class ExtensionCallTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<ExtensionCallTests>();

    [Fact]
    public async Task Extension1001Calls1002_BothHearTheOtherSide()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("ext-call");
        string speech = Engine.Speech(dir);
        string tone = TestAudio.Tone(1000, 3, Path.Combine(dir, "tone.wav"));

        BaresipOptions Options(int i, string ext, string wav) => new()
        {
            Name = ext, SipPort = ports.PeerSip(i), ControlPort = ports.PeerSip(i) + 2, RtpPortMin = ports.PeerMedia(i),
            Account = BaresipPeer.AccountLine(ext, server.SipHostPort, Engine.Password(ext), autoAnswer: true, registerSeconds: 600),
            AudioSourceWav = wav, QuitAfter = TimeSpan.FromSeconds(90),
        };

        await using BaresipPeer a = await BaresipPeer.StartAsync(Options(0, "1001", speech), output);
        await using BaresipPeer b = await BaresipPeer.StartAsync(Options(1, "1002", tone), output);
        await a.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
        await b.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));

        await a.DialAsync($"sip:1002@{server.SipHostPort}");
        await a.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15));
        await b.WaitForLogAsync("Call established", TimeSpan.FromSeconds(5));
        var talk = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(6));
        await a.HangupAsync();
        talk.Stop();
        await b.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));
        await a.QuitAsync();
        await b.QuitAsync();

        string context = $"talk {talk.Elapsed.TotalSeconds:0.00} s\n{server.Describe()}";
        Assert.True(a.ReceivedWavPath is not null && b.ReceivedWavPath is not null, "no recordings\n" + context);
        short[] aHeard = WavFile.Read(a.ReceivedWavPath!).Mono();
        short[] bHeard = WavFile.Read(b.ReceivedWavPath!).Mono();
        double seconds = talk.Elapsed.TotalSeconds;
        context = $"A heard {aHeard.Length / 8000.0:0.00} s at {AudioAnalysis.RmsDbfs(aHeard):0.0} dBFS, " +
                  $"B heard {bHeard.Length / 8000.0:0.00} s at {AudioAnalysis.RmsDbfs(bHeard):0.0} dBFS; " + context;
        output.WriteLine(context);

        Assert.False(AudioAnalysis.IsSilent(aHeard), "A heard silence\n" + context);
        Assert.False(AudioAnalysis.IsSilent(bHeard), "B heard silence\n" + context);
        Assert.True(Math.Abs((aHeard.Length / 8000.0) - seconds) <= 1.0, "A's recording length\n" + context);
        Assert.True(Math.Abs((bHeard.Length / 8000.0) - seconds) <= 1.0, "B's recording length\n" + context);
        double share = AudioAnalysis.ToneShare(aHeard, 1000);
        Assert.True(share >= 0.7, $"A should hear B's 1 kHz tone: share {share:0.00}\n{context}");
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(WavFile.Read(speech).Mono(), bHeard);
        Assert.True(corr >= 0.7, $"B should hear A's speech: correlation {corr:0.00} at {lag:0.00} s\n{context}");
    }
}
