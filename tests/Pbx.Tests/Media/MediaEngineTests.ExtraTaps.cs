using Telephony.Pbx.Media;

namespace Telephony.Pbx.Tests.Media;

/// <content>Further taps beside the recording tap (a voicemail recorder on the caller's leg).</content>
public abstract partial class MediaEngineTests
{
    [Fact]
    public void Added_tap_sees_the_same_frames_as_the_recording_tap_until_removed_and_leaves_it_alone()
    {
        var far = NewFarEnd(1);
        var session = _engine.CreateSession("extra-tap");
        session.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        session.SetSource(EchoSource.Instance);
        var recording = new CollectingTap();
        var voicemail = new CollectingTap();
        session.SetTap(recording);
        session.AddTap(voicemail);
        Tick();
        for (var frame = 0; frame < 10; frame++)
        {
            far.SendPcmu(session.LocalRtpPort, Sine(frame, 400));
            Tick();
        }

        Assert.Equal(recording.Received.Count, voicemail.Received.Count);
        for (var k = 0; k < recording.Received.Count; k++)
        {
            Assert.Equal(recording.Received[k], voicemail.Received[k]);
            Assert.Equal(recording.Sent[k], voicemail.Sent[k]);
        }

        Assert.True(voicemail.Received.Count(f => Rms(f) > 1000) >= 8);
        session.RemoveTap(voicemail);
        Tick(3);
        int seen = voicemail.Received.Count;
        Tick(3);
        Assert.Equal(seen, voicemail.Received.Count);
        Assert.True(recording.Received.Count > seen, "the recording tap keeps going");
    }
}
