using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media;

namespace Telephony.Pbx.Tests.Media;

/// <content>The media tap (recording port): one call per tick with the received and the sent frame.</content>
public abstract partial class MediaEngineTests
{
    private sealed class CollectingTap : IMediaTap
    {
        public List<short[]> Received { get; } = [];
        public List<short[]> Sent { get; } = [];

        public void OnFrame(ReadOnlySpan<short> received, ReadOnlySpan<short> sent)
        {
            Received.Add(received.ToArray());
            Sent.Add(sent.ToArray());
        }
    }

    [Fact]
    public void Tap_on_bridged_leg_sees_its_caller_as_received_and_the_peer_as_sent_once_per_tick()
    {
        var farA = NewFarEnd(1);
        var farB = NewFarEnd(2);
        var a = _engine.CreateSession("tap-a");
        var b = _engine.CreateSession("tap-b", sameLoopAs: a);
        a.Configure(new RtpSessionParameters(farA.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        b.Configure(new RtpSessionParameters(farB.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        a.SetSource(new BridgeSource(b));
        b.SetSource(new BridgeSource(a));
        var tap = new CollectingTap();
        a.SetTap(tap);
        Tick();
        farA.DrainRtp();
        tap.Received.Clear();
        tap.Sent.Clear();
        for (var frame = 0; frame < 20; frame++)
        {
            farA.SendPcmu(a.LocalRtpPort, Sine(frame, 400));
            farB.SendPcmu(b.LocalRtpPort, Sine(frame, 1000, 6000));
            Tick();
        }

        Assert.Equal(20, tap.Received.Count);
        Assert.All(tap.Received, f => Assert.Equal(160, f.Length));
        var heard = tap.Received.Where(f => Rms(f) > 1000).ToList();
        var sent = tap.Sent.Where(f => Rms(f) > 1000).ToList();
        Assert.True(heard.Count >= 15 && sent.Count >= 15, $"{heard.Count} received / {sent.Count} sent audible frames");
        Assert.Equal(MuLawRoundTrip(Sine(0, 400)), heard[0]);
        Assert.Equal(MuLawRoundTrip(Sine(0, 1000, 6000)), sent[0]);

        // What the tap calls "sent" is exactly what A's far end receives.
        var atA = farA.DrainRtp().Select(p => Decode(0, p.Payload)).ToList();
        Assert.Equal(20, atA.Count);
        for (var k = 0; k < 20; k++)
        {
            Assert.Equal(MuLawRoundTrip(tap.Sent[k]), atA[k]);
        }

        a.SetTap(null);
        Tick(3);
        Assert.Equal(20, tap.Received.Count);
    }
}
