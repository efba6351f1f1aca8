using Telephony.Pbx.Media;

namespace Telephony.Pbx.Tests.Media;

/// <content>
/// Issue 10 item 8: the RTP timeout runs only while the peer is expected to send. A phone that holds the call
/// (RFC 3264 §8.4: its a=sendonly, i.e. our recvonly, or a=inactive) and then sends nothing is not hung up.
/// </content>
public abstract partial class MediaEngineTests
{
    private const int TicksPerMinute = 3000;

    [Theory]
    [InlineData(MediaDirection.RecvOnly)] // the peer said a=sendonly (hold with music it never sends)
    [InlineData(MediaDirection.Inactive)] // the peer said a=inactive
    [InlineData(MediaDirection.SendOnly)] // the peer said a=recvonly
    public async Task Three_minute_hold_without_RTP_does_not_time_out_and_silence_after_resume_does(
        MediaDirection heldDirection)
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("hold-" + heldDirection);
        var timeouts = 0;
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s.RtpTimedOut += _ =>
        {
            Interlocked.Increment(ref timeouts);
            fired.TrySetResult();
        };
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        for (var i = 0; i < 10; i++)
        {
            far.SendPcmu(s.LocalRtpPort, Sine(i));
            Tick();
        }

        // The re-INVITE puts the call on hold; the phone then sends no RTP at all for 3 minutes (timeout: 10 s here).
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, heldDirection));
        Tick(3 * TicksPerMinute);
        far.Discard();
        await Task.Delay(20);
        Assert.Equal(0, Volatile.Read(ref timeouts));

        // Resumed with sendrecv, and still silent: timed out once the timeout has passed since the resume.
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        Tick(TicksPerMinute / 6 - 10); // 9.8 s
        await Task.Delay(20);
        Assert.Equal(0, Volatile.Read(ref timeouts));
        Tick(20);
        await fired.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Tick(100);
        await Task.Delay(20);
        Assert.Equal(1, Volatile.Read(ref timeouts));
    }
}
