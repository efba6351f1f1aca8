using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Tests.Rtp;

public class RtpReceiveStatisticsTests
{
    private static void Feed(RtpReceiveStatistics s, uint ssrc, int firstSeq, int count, uint firstTs = 0)
    {
        for (var i = 0; i < count; i++)
        {
            var ts = firstTs + (uint)(i * 160);
            s.Update(ssrc, (ushort)(firstSeq + i), ts, ts);
        }
    }

    [Fact]
    public void New_source_is_on_probation_for_the_first_packet()
    {
        var s = new RtpReceiveStatistics();
        Assert.False(s.Update(1, 100, 0, 0));
        Assert.True(s.Update(1, 101, 160, 160));
        Assert.Equal(2u, s.Received);
        Assert.Equal(2u, s.Expected);
        Assert.Equal(0, s.CumulativeLost);
    }

    [Fact]
    public void Seq_wrap_65535_to_0_extends_the_sequence_number()
    {
        var s = new RtpReceiveStatistics();
        Feed(s, 7, 65530, 12); // 65530..65535, 0..5
        Assert.Equal(65536u + 5, s.ExtendedHighestSequence);
        Assert.Equal(12u, s.Expected);
        Assert.Equal(0, s.CumulativeLost);
    }

    [Fact]
    public void Loss_is_cumulative_and_fraction_is_per_interval()
    {
        var s = new RtpReceiveStatistics();
        Feed(s, 7, 0, 10);           // 0..9
        Feed(s, 7, 12, 8, 12 * 160); // 12..19 (10, 11 lost)
        Assert.Equal(20u, s.Expected);
        Assert.Equal(2, s.CumulativeLost);
        Assert.Equal((byte)(2 * 256 / 20), s.TakeFractionLost());
        Feed(s, 7, 20, 10, 20 * 160);
        Assert.Equal(0, s.TakeFractionLost());
        Assert.Equal(2, s.CumulativeLost);
    }

    [Fact]
    public void Duplicate_counts_as_received_so_loss_can_go_negative()
    {
        var s = new RtpReceiveStatistics();
        Feed(s, 7, 0, 5);
        Assert.True(s.Update(7, 3, 3 * 160, 5 * 160));
        Assert.Equal(-1, s.CumulativeLost);
    }

    [Fact]
    public void SSRC_change_restarts_the_statistics()
    {
        var s = new RtpReceiveStatistics();
        Feed(s, 7, 0, 10);
        Assert.False(s.Update(8, 5000, 0, 0)); // probation again
        Assert.Equal(8u, s.Ssrc);
        Assert.Equal(1, s.SsrcChanges);
        Assert.True(s.Update(8, 5001, 160, 160));
        Assert.Equal(2u, s.Expected);
    }

    [Fact]
    public void Big_jump_is_rejected_until_two_sequential_packets_confirm_a_restart()
    {
        var s = new RtpReceiveStatistics();
        Feed(s, 7, 0, 10);
        Assert.False(s.Update(7, 20000, 0, 0));
        Assert.True(s.Update(7, 20001, 160, 160));
        Assert.Equal(20001u, s.ExtendedHighestSequence);
    }

    [Fact]
    public void Jitter_is_zero_for_perfectly_paced_packets_across_timestamp_wrap()
    {
        var s = new RtpReceiveStatistics();
        var ts = uint.MaxValue - 800;
        for (var i = 0; i < 20; i++)
        {
            s.Update(1, (ushort)i, ts, 123456 + (i * 160L));
            ts += 160; // wraps through 0
        }

        Assert.Equal(0u, s.Jitter);
    }

    [Fact]
    public void Jitter_follows_A8_for_alternating_delay()
    {
        var s = new RtpReceiveStatistics();
        for (var i = 0; i < 200; i++)
        {
            var ts = (uint)(i * 160);
            var arrival = ts + (i % 2 == 0 ? 0 : 80); // every other packet 10 ms late
            s.Update(1, (ushort)i, ts, arrival);
        }

        // |D| is always 80, so J converges to 80 units = 10 ms.
        Assert.InRange(s.JitterMs, 9.5, 10.0);
    }
}
