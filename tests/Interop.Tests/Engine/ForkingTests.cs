using System.Net;

namespace Telephony.Interop.Tests.Engine;

/// <summary>
/// Parallel forking (RFC 3261 §16.7, as a B2BUA): extension 1002 registered from two baresips; a call rings both,
/// the first 2xx wins, the other fork is CANCELled (RFC 3261 §9.1) and the caller hears the phone that answered.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ForkingTests(ITestOutputHelper output)
{
    private const double AnswererHz = 1000;
    private const double OtherHz = 440;
    private readonly PortBlock ports = PortAllocator.For<ForkingTests>();

    [Fact]
    public async Task CallTo1002RegisteredTwice_RingsBoth_AutoAnswerWins_OtherIsCancelled()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("fork");
        await using BaresipPeer answerer = await StartAsync(server, 1, "desk", autoAnswer: true, TestAudio.Tone(AnswererHz, 3, Path.Combine(dir, "desk.wav")));
        await using BaresipPeer ringer = await StartAsync(server, 2, "mobile", autoAnswer: false, TestAudio.Tone(OtherHz, 3, Path.Combine(dir, "mobile.wav")));
        await Task.Delay(200); // both REGISTERs answered (each peer waited for its own 200)
        string speech = Engine.Speech(dir);
        PcapSummary pcap = Engine.Pcap(dir, speech, digits: string.Empty);
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Loopback, media + 4);
        SippResult call = await Sipp.RunAsync(Engine.FromExtension(server, "uac-media", "1002", "1001", ports.PeerSip(0), media) with
        {
            Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
            DefaultPause = TimeSpan.FromSeconds(pcap.DurationSeconds + 0.5),
        });
        string context = $"{sink.Describe()}\n{call.Describe()}\n{server.Describe()}\n" +
                         $"desk (auto):\n{answerer.Log.Tail(40)}\nmobile (manual):\n{ringer.Log.Tail(40)}";
        output.WriteLine(context);

        Assert.True(call.Succeeded, "the call to 1002 failed\n" + context);
        Assert.True(server.Log.Contains("ringing 2 contact(s)"), "the server should fork to both contacts\n" + context);
        Assert.True(ringer.Log.Contains("Incoming call"), "the manual phone was not rung\n" + context);
        Assert.False(ringer.Log.Contains("Call established"), "the manual phone must not be connected\n" + context);
        // re/baresip reports a CANCELled incoming INVITE as "session closed: Connection reset by peer".
        string closed = await ringer.WaitForLogAsync("session closed", TimeSpan.FromSeconds(5));
        Assert.Contains("Connection reset by peer", closed, StringComparison.Ordinal);
        await answerer.WaitForLogAsync("terminated", TimeSpan.FromSeconds(5));

        double share = AudioAnalysis.ToneShare(sink.Audio, AnswererHz);
        double wrong = AudioAnalysis.ToneShare(sink.Audio, OtherHz);
        Assert.True(share >= 0.7 && wrong < 0.1, $"the caller should hear the answering phone's tone: {AnswererHz} Hz share {share:0.00}, {OtherHz} Hz share {wrong:0.00}\n{context}");
        await Health.AssertNoCallsLeftAsync(server);
    }

    private async Task<BaresipPeer> StartAsync(ServerProcess server, int index, string name, bool autoAnswer, string wav)
    {
        BaresipPeer peer = await BaresipPeer.StartAsync(
            new BaresipOptions
            {
                Name = name, SipPort = ports.PeerSip(index), ControlPort = ports.PeerSip(index) + 2, RtpPortMin = ports.PeerMedia(index),
                Account = BaresipPeer.AccountLine("1002", server.SipHostPort, Engine.Password("1002"), autoAnswer: autoAnswer),
                AudioSourceWav = wav, QuitAfter = TimeSpan.FromSeconds(90),
            },
            output);
        try
        {
            await peer.WaitForLogAsync("200 OK", TimeSpan.FromSeconds(10));
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }

        return peer;
    }
}
