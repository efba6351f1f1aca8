using System.Diagnostics;

namespace Telephony.Interop.Tests.Engine;

/// <summary>
/// Extension to extension through the server: two registered baresips, audio both ways (transcoded when their
/// codecs differ), and hang-up from either side.
/// </summary>
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

        await using BaresipPeer a = await StartAsync(server, 0, "1001", speech);
        await using BaresipPeer b = await StartAsync(server, 1, "1002", tone);
        TimeSpan talk = await TalkAsync(server, a, b, TimeSpan.FromSeconds(6), calleeHangsUp: false);

        (short[] aHeard, short[] bHeard, string context) = Recordings(server, a, b, talk);
        Assert.True(Math.Abs((aHeard.Length / 8000.0) - talk.TotalSeconds) <= 1.0, "A's recording length\n" + context);
        Assert.True(Math.Abs((bHeard.Length / 8000.0) - talk.TotalSeconds) <= 1.0, "B's recording length\n" + context);
        double share = AudioAnalysis.ToneShare(aHeard, 1000);
        Assert.True(share >= 0.7, $"A should hear B's 1 kHz tone: share {share:0.00}\n{context}");
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(WavFile.Read(speech).Mono(), bHeard);
        Assert.True(corr >= 0.7, $"B should hear A's speech: correlation {corr:0.00} at {lag:0.00} s\n{context}");
    }

    [Fact]
    public async Task Pcmu1001CallsPcma1002_ServerTranscodes_EachHearsTheOthersTone()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("transcode");
        await using BaresipPeer a = await StartAsync(server, 0, "1001", TestAudio.Tone(440, 3, Path.Combine(dir, "a.wav")), "PCMU");
        await using BaresipPeer b = await StartAsync(server, 1, "1002", TestAudio.Tone(1000, 3, Path.Combine(dir, "b.wav")), "PCMA");
        TimeSpan talk = await TalkAsync(server, a, b, TimeSpan.FromSeconds(4), calleeHangsUp: false);

        (short[] aHeard, short[] bHeard, string context) = Recordings(server, a, b, talk);
        double aShare = AudioAnalysis.ToneShare(aHeard, 1000);
        double bShare = AudioAnalysis.ToneShare(bHeard, 440);
        context = $"A (PCMU) heard 1000 Hz share {aShare:0.00}, B (PCMA) heard 440 Hz share {bShare:0.00}; {context}";
        Assert.True(aShare >= 0.7, "A should hear B's 1 kHz tone\n" + context);
        Assert.True(bShare >= 0.7, "B should hear A's 440 Hz tone\n" + context);
        Assert.True(a.Log.Contains("Set audio decoder: PCMU") && !a.Log.Contains("Set audio decoder: PCMA"), "A's leg should be PCMU\n" + context);
        Assert.True(b.Log.Contains("Set audio decoder: PCMA") && !b.Log.Contains("Set audio decoder: PCMU"), "B's leg should be PCMA\n" + context);
    }

    [Fact]
    public async Task Extension1002HangsUpFirst_CallerGetsBye()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("ext-callee-bye");
        await using BaresipPeer a = await StartAsync(server, 0, "1001", TestAudio.Tone(440, 3, Path.Combine(dir, "a.wav")));
        await using BaresipPeer b = await StartAsync(server, 1, "1002", TestAudio.Tone(1000, 3, Path.Combine(dir, "b.wav")));
        int aLine = a.Log.Count;
        await TalkAsync(server, a, b, TimeSpan.FromSeconds(2), calleeHangsUp: true);

        string line = await a.WaitForLogAsync("terminated", TimeSpan.FromSeconds(1), aLine);
        Assert.Contains("sip:1002@", line, StringComparison.Ordinal);
        await Health.AssertNoCallsLeftAsync(server);
        Assert.True(server.Log.Contains("callee hung up"), server.Describe());
    }

    [Fact]
    public async Task CalleeHoldsAndResumes_ReInvitesAnsweredOnItsLeg_CallStaysUp()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("ext-hold");
        await using BaresipPeer a = await StartAsync(server, 0, "1001", TestAudio.Tone(440, 3, Path.Combine(dir, "a.wav")));
        await using BaresipPeer b = await StartAsync(server, 1, "1002", TestAudio.Tone(1000, 3, Path.Combine(dir, "b.wav")));
        await a.DialAsync($"sip:1002@{server.SipHostPort}");
        await a.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15));
        await b.WaitForLogAsync("Call established", TimeSpan.FromSeconds(5));
        await Task.Delay(1000);

        int serverLine = server.Log.Count;
        await b.CommandAsync("hold");
        string held = await server.WaitForLogAsync("re-offer on", TimeSpan.FromSeconds(5), serverLine);
        await Task.Delay(1000);
        serverLine = server.Log.Count;
        await b.CommandAsync("resume");
        string resumed = await server.WaitForLogAsync("re-offer on", TimeSpan.FromSeconds(5), serverLine);
        await Task.Delay(1000);
        string context = $"held: {held}\nresumed: {resumed}\n{server.Describe()}\nA:\n{a.Log.Tail(30)}\nB:\n{b.Log.Tail(30)}";

        Assert.Contains("RecvOnly", held, StringComparison.Ordinal);
        Assert.Contains("SendRecv", resumed, StringComparison.Ordinal);
        Assert.False(a.Log.Contains("terminated") || b.Log.Contains("terminated"), "the call dropped during hold/resume\n" + context);
        await a.HangupAsync();
        await b.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));
        await Health.AssertNoCallsLeftAsync(server);
    }

    private Task<BaresipPeer> StartAsync(ServerProcess server, int index, string extension, string wav, string codecs = "PCMU") =>
        BaresipPeer.StartRegisteredAsync(
            new BaresipOptions
            {
                Name = extension, SipPort = ports.PeerSip(index), ControlPort = ports.PeerSip(index) + 2, RtpPortMin = ports.PeerMedia(index),
                Account = BaresipPeer.AccountLine(extension, server.SipHostPort, Engine.Password(extension), autoAnswer: true, codecs: codecs),
                AudioSourceWav = wav, QuitAfter = TimeSpan.FromSeconds(90),
            },
            output);

    /// <summary>A dials B, both talk for <paramref name="length"/>, then one hangs up and the other must see it.</summary>
    private static async Task<TimeSpan> TalkAsync(ServerProcess server, BaresipPeer a, BaresipPeer b, TimeSpan length, bool calleeHangsUp)
    {
        int bLine = b.Log.Count;
        int aLine = a.Log.Count;
        await a.DialAsync($"sip:{b.Options.Name}@{server.SipHostPort}");
        await a.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15), aLine);
        await b.WaitForLogAsync("Call established", TimeSpan.FromSeconds(5), bLine);
        var talk = Stopwatch.StartNew();
        await Task.Delay(length);
        BaresipPeer first = calleeHangsUp ? b : a;
        BaresipPeer other = calleeHangsUp ? a : b;
        await first.HangupAsync();
        talk.Stop();
        await other.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10), calleeHangsUp ? aLine : bLine);
        return talk.Elapsed;
    }

    private static (short[] AHeard, short[] BHeard, string Context) Recordings(ServerProcess server, BaresipPeer a, BaresipPeer b, TimeSpan talk)
    {
        string context = $"talk {talk.TotalSeconds:0.00} s\n{server.Describe()}\nA:\n{a.Log.Tail(30)}\nB:\n{b.Log.Tail(30)}";
        Assert.True(a.ReceivedWavPath is not null && b.ReceivedWavPath is not null, "no recordings\n" + context);
        short[] aHeard = WavFile.Read(a.ReceivedWavPath!).Mono();
        short[] bHeard = WavFile.Read(b.ReceivedWavPath!).Mono();
        context = $"A heard {aHeard.Length / 8000.0:0.00} s at {AudioAnalysis.RmsDbfs(aHeard):0.0} dBFS, " +
                  $"B heard {bHeard.Length / 8000.0:0.00} s at {AudioAnalysis.RmsDbfs(bHeard):0.0} dBFS; " + context;
        Assert.False(AudioAnalysis.IsSilent(aHeard), "A heard silence\n" + context);
        Assert.False(AudioAnalysis.IsSilent(bHeard), "B heard silence\n" + context);
        return (aHeard, bHeard, context);
    }
}
