using Telephony.Pbx.Media.JitterBuffer;

namespace Telephony.Pbx.Tests.Media.JitterBuffer;

/// <summary>
/// <see cref="AdaptiveJitterBuffer.TryPeekNext"/>: the packet after a lost one, for Opus in-band FEC (RFC 6716
/// §2.1.7), and slots big enough for Opus packets (RFC 6716 §3.4 [R2]: up to 1275 bytes).
/// </summary>
public sealed class JitterBufferPeekTests
{
    private static byte[] Frame(int marker, int length = 160)
    {
        var frame = new byte[length];
        frame[0] = (byte)marker;
        return frame;
    }

    [Fact]
    public void After_a_missing_frame_peek_shows_the_next_packet_without_taking_it()
    {
        var jb = new AdaptiveJitterBuffer();
        var buffer = new byte[320];
        jb.Put(1, 160, 7, Frame(1));
        jb.Put(2, 320, 7, Frame(2));
        Assert.Equal(JitterGetResult.Frame, jb.TryGet(buffer, out _, out _));
        jb.Put(4, 640, 7, Frame(4)); // 3 is lost
        Assert.Equal(JitterGetResult.Frame, jb.TryGet(buffer, out _, out _)); // 2
        Assert.Equal(JitterGetResult.Missing, jb.TryGet(buffer, out _, out _)); // 3
        Assert.True(jb.TryPeekNext(out var next));
        Assert.Equal(4, next[0]);
        Assert.Equal(160, next.Length);
        Assert.Equal(1, jb.Count); // still there
        Assert.Equal(JitterGetResult.Frame, jb.TryGet(buffer, out _, out var timestamp));
        Assert.Equal(4, buffer[0]);
        Assert.Equal(640u, timestamp);
    }

    [Fact]
    public void Peek_is_false_while_buffering_when_the_next_packet_is_not_here_and_after_an_underrun()
    {
        var jb = new AdaptiveJitterBuffer();
        var buffer = new byte[320];
        Assert.False(jb.TryPeekNext(out _));
        jb.Put(1, 160, 7, Frame(1));
        Assert.False(jb.TryPeekNext(out _)); // buffering
        jb.Put(2, 320, 7, Frame(2));
        jb.Put(5, 800, 7, Frame(5));
        jb.TryGet(buffer, out _, out _);
        jb.TryGet(buffer, out _, out _);
        Assert.Equal(JitterGetResult.Missing, jb.TryGet(buffer, out _, out _)); // 3 lost
        Assert.False(jb.TryPeekNext(out _)); // 4 lost too
        Assert.Equal(JitterGetResult.Missing, jb.TryGet(buffer, out _, out _));
        Assert.True(jb.TryPeekNext(out var five));
        Assert.Equal(5, five[0]);
        jb.TryGet(buffer, out _, out _);
        Assert.Equal(JitterGetResult.Missing, jb.TryGet(buffer, out _, out _)); // underrun: re-buffering
        Assert.False(jb.TryPeekNext(out _));
    }

    [Fact]
    public void Opus_sized_slots_take_1275_byte_packets_the_default_refuses_them()
    {
        Assert.Equal(JitterPutResult.TooLarge, new AdaptiveJitterBuffer().Put(1, 0, 7, Frame(1, 1275)));
        var opus = new AdaptiveJitterBuffer(slotSize: 1275);
        Assert.Equal(1275, opus.SlotSize);
        Assert.Equal(JitterPutResult.Stored, opus.Put(1, 0, 7, Frame(1, 1275)));
        opus.Put(2, 960, 7, Frame(2, 3));
        var buffer = new byte[1500];
        Assert.Equal(JitterGetResult.Frame, opus.TryGet(buffer, out var length, out _));
        Assert.Equal(1275, length);
    }
}
