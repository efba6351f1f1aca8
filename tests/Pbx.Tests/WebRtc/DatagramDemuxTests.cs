using Telephony.Pbx.WebRtc;

namespace Telephony.Pbx.Tests.WebRtc;

/// <summary>RFC 7983 §7 first-byte ranges and the RFC 5761 §4 RTP/RTCP split, at every boundary.</summary>
public sealed class DatagramDemuxTests
{
    [Theory]
    [InlineData(0, DatagramKind.Stun)]
    [InlineData(3, DatagramKind.Stun)]
    [InlineData(4, DatagramKind.Unknown)]
    [InlineData(15, DatagramKind.Unknown)]
    [InlineData(16, DatagramKind.Zrtp)]
    [InlineData(19, DatagramKind.Zrtp)]
    [InlineData(20, DatagramKind.Dtls)]
    [InlineData(22, DatagramKind.Dtls)]
    [InlineData(63, DatagramKind.Dtls)]
    [InlineData(64, DatagramKind.TurnChannel)]
    [InlineData(79, DatagramKind.TurnChannel)]
    [InlineData(80, DatagramKind.Unknown)]
    [InlineData(127, DatagramKind.Unknown)]
    [InlineData(128, DatagramKind.Rtp)]
    [InlineData(191, DatagramKind.Rtp)]
    [InlineData(192, DatagramKind.Unknown)]
    [InlineData(255, DatagramKind.Unknown)]
    public void First_byte_ranges(int first, DatagramKind expected) =>
        Assert.Equal(expected, DatagramDemux.Classify([(byte)first, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));

    [Theory]
    [InlineData(0x00, DatagramKind.Rtp)]  // PT 0 PCMU
    [InlineData(0x80, DatagramKind.Rtp)]  // marker + PT 0
    [InlineData(0xBF, DatagramKind.Rtp)]  // marker + PT 63
    [InlineData(0xC0, DatagramKind.Rtcp)] // 192 FIR
    [InlineData(0xC8, DatagramKind.Rtcp)] // 200 SR
    [InlineData(0xC9, DatagramKind.Rtcp)] // 201 RR
    [InlineData(0xCB, DatagramKind.Rtcp)] // 203 BYE
    [InlineData(0xCE, DatagramKind.Rtcp)] // 206 PSFB
    [InlineData(0xDF, DatagramKind.Rtcp)] // 223
    [InlineData(0xE0, DatagramKind.Rtp)]  // marker + PT 96
    [InlineData(0x6F, DatagramKind.Rtp)]  // PT 111 opus
    public void Second_byte_tells_RTCP_from_RTP(int second, DatagramKind expected) =>
        Assert.Equal(expected, DatagramDemux.Classify([0x80, (byte)second, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]));

    [Fact]
    public void Empty_and_one_byte_RTP_are_dropped_with_their_reason()
    {
        Assert.Equal(DatagramKind.Empty, DatagramDemux.Classify([]));
        Assert.Equal(DatagramKind.RtpTooShort, DatagramDemux.Classify([0x80]));
        Assert.Equal(DatagramKind.Stun, DatagramDemux.Classify([0x00]));
    }

    [Fact]
    public void Every_first_byte_maps_to_one_kind_without_allocating()
    {
        var datagram = new byte[12];
        var kinds = new DatagramKind[256];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var b = 0; b < 256; b++)
        {
            datagram[0] = (byte)b;
            kinds[b] = DatagramDemux.Classify(datagram);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.All(kinds, kind => Assert.True(Enum.IsDefined(kind)));
    }
}
