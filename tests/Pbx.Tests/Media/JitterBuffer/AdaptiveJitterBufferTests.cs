using Telephony.Pbx.Media.JitterBuffer;

namespace Telephony.Pbx.Tests.Media.JitterBuffer;

public class AdaptiveJitterBufferTests
{
    private static readonly byte[] Payload = new byte[160];

    private static byte[] Frame(int marker)
    {
        var frame = new byte[160];
        frame[0] = (byte)marker;
        frame[1] = (byte)(marker >> 8);
        return frame;
    }

    private static int Marker(byte[] buffer) => buffer[0] | (buffer[1] << 8);

    private static (JitterGetResult Result, int Marker) Get(AdaptiveJitterBuffer jb)
    {
        var buffer = new byte[320];
        var r = jb.TryGet(buffer, out var length, out _);
        return (r, r == JitterGetResult.Frame ? Marker(buffer) : -1);
    }

    [Fact]
    public void Buffers_to_the_target_then_plays_in_order()
    {
        var jb = new AdaptiveJitterBuffer();
        Assert.Equal(2, jb.TargetDepthFrames);
        jb.Put(10, 1600, 1, Frame(10));
        Assert.Equal(JitterGetResult.Buffering, Get(jb).Result);
        jb.Put(11, 1760, 1, Frame(11));
        Assert.Equal((JitterGetResult.Frame, 10), Get(jb));
        jb.Put(12, 1920, 1, Frame(12));
        Assert.Equal((JitterGetResult.Frame, 11), Get(jb));
        Assert.Equal((JitterGetResult.Frame, 12), Get(jb));
    }

    [Fact]
    public void Reordered_packets_play_in_sequence_order()
    {
        var jb = new AdaptiveJitterBuffer();
        jb.Put(3, 480, 1, Frame(3));
        jb.Put(1, 160, 1, Frame(1)); // earlier packet while buffering extends the start
        jb.Put(2, 320, 1, Frame(2));
        Assert.Equal(1, Get(jb).Marker);
        Assert.Equal(2, Get(jb).Marker);
        Assert.Equal(3, Get(jb).Marker);
    }

    [Fact]
    public void Seq_wrap_65535_to_0_plays_through()
    {
        var jb = new AdaptiveJitterBuffer();
        jb.Put(65534, 0, 1, Frame(1));
        jb.Put(65535, 160, 1, Frame(2));
        jb.Put(0, 320, 1, Frame(3));
        jb.Put(1, 480, 1, Frame(4));
        Assert.Equal([1, 2, 3, 4], Enumerable.Range(0, 4).Select(_ => Get(jb).Marker));
    }

    [Fact]
    public void Late_packet_is_dropped_and_counted()
    {
        var jb = new AdaptiveJitterBuffer();
        jb.Put(1, 0, 1, Frame(1));
        jb.Put(2, 160, 1, Frame(2));
        jb.Put(4, 480, 1, Frame(4));
        Assert.Equal(1, Get(jb).Marker);
        Assert.Equal(2, Get(jb).Marker);
        Assert.Equal(JitterGetResult.Missing, Get(jb).Result); // 3 missing: concealed
        Assert.Equal(1, jb.Lost);
        Assert.Equal(JitterPutResult.Late, jb.Put(3, 320, 1, Frame(3)));
        Assert.Equal(1, jb.Late);
        Assert.Equal(4, Get(jb).Marker);
    }

    [Fact]
    public void Duplicate_packet_is_dropped_and_counted()
    {
        var jb = new AdaptiveJitterBuffer();
        Assert.Equal(JitterPutResult.Stored, jb.Put(5, 0, 1, Payload));
        Assert.Equal(JitterPutResult.Duplicate, jb.Put(5, 0, 1, Payload));
        Assert.Equal(1, jb.Duplicates);
        Assert.Equal(1, jb.Count);
    }

    [Fact]
    public void Underrun_grows_the_target_depth_up_to_the_cap()
    {
        var jb = new AdaptiveJitterBuffer(maxDepthFrames: 4);
        ushort seq = 0;
        for (var round = 0; round < 6; round++)
        {
            for (var i = 0; i < jb.TargetDepthFrames; i++, seq++)
            {
                jb.Put(seq, seq * 160u, 1, Payload);
            }

            while (Get(jb).Result == JitterGetResult.Frame)
            {
            }
        }

        Assert.Equal(4, jb.TargetDepthFrames);
        Assert.Equal(6, jb.Underruns);
    }

    [Fact]
    public void Silence_gap_with_timestamp_jump_does_not_grow_the_target()
    {
        var jb = new AdaptiveJitterBuffer();
        ushort seq = 0;
        uint ts = 0;
        for (var talkspurt = 0; talkspurt < 5; talkspurt++)
        {
            for (var i = 0; i < 10; i++, seq++, ts += 160)
            {
                jb.Put(seq, ts, 1, Payload);
                Get(jb);
            }

            for (var i = 0; i < 25; i++)
            {
                Get(jb); // silence (DTX): nothing arrives, buffer runs dry
            }

            ts += 25 * 160; // the next talkspurt: seq continues, timestamp jumps
        }

        Assert.True(jb.Underruns >= 5);
        Assert.Equal(2, jb.TargetDepthFrames);
    }

    [Fact]
    public void Sustained_excess_depth_drops_a_frame_and_stable_playout_shrinks_the_target()
    {
        var jb = new AdaptiveJitterBuffer();
        ushort seq = 0;
        for (var i = 0; i < 8; i++, seq++)
        {
            jb.Put(seq, seq * 160u, 1, Payload); // burst: 8 frames deep
        }

        for (var tick = 0; tick < 600; tick++, seq++)
        {
            jb.Put(seq, seq * 160u, 1, Payload);
            Get(jb);
        }

        Assert.True(jb.Discarded >= 4, $"discarded {jb.Discarded}");
        Assert.Equal(1, jb.TargetDepthFrames); // shrunk from 2 after 10 s without underrun
        Assert.Equal(0, jb.Underruns);
    }

    [Fact]
    public void SSRC_change_resets_the_stream()
    {
        var jb = new AdaptiveJitterBuffer();
        jb.Put(100, 0, 1, Frame(1));
        jb.Put(101, 160, 1, Frame(2));
        Assert.Equal(1, Get(jb).Marker);
        jb.Put(7, 99999, 2, Frame(7));
        Assert.Equal(1, jb.SsrcChanges);
        Assert.Equal(1, jb.Count);
        jb.Put(8, 100159, 2, Frame(8));
        Assert.Equal(7, Get(jb).Marker);
        Assert.Equal(8, Get(jb).Marker);
    }

    [Fact]
    public void Jump_past_capacity_resynchronizes()
    {
        var jb = new AdaptiveJitterBuffer();
        jb.Put(1, 0, 1, Frame(1));
        jb.Put(2, 160, 1, Frame(2));
        Assert.Equal(JitterPutResult.Resynchronized, jb.Put(5000, 0, 1, Frame(5000)));
        jb.Put(5001, 160, 1, Frame(5001));
        Assert.Equal(5000, Get(jb).Marker);
    }

    [Fact]
    public void Too_large_payload_is_rejected()
    {
        var jb = new AdaptiveJitterBuffer(slotSize: 200);
        Assert.Equal(JitterPutResult.TooLarge, jb.Put(1, 0, 1, new byte[201]));
    }
}
