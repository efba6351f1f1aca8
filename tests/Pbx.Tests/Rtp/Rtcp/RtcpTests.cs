using System.Text;
using Telephony.Pbx.Rtp.Rtcp;

namespace Telephony.Pbx.Tests.Rtp.Rtcp;

public class RtcpTests
{
    [Fact]
    public void Reads_a_hand_written_compound_SR_plus_SDES()
    {
        byte[] data =
        [
            // SR: V=2 P=0 RC=1, PT=200, length 12 words (52 bytes)
            0x81, 0xC8, 0x00, 0x0C,
            0x00, 0x00, 0x00, 0x2A,                         // sender SSRC 42
            0xE5, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, // NTP
            0x00, 0x00, 0x03, 0x20,                         // RTP timestamp 800
            0x00, 0x00, 0x00, 0x05,                         // packet count 5
            0x00, 0x00, 0x03, 0x20,                         // octet count 800
            // report block about SSRC 7
            0x00, 0x00, 0x00, 0x07,
            0x40, 0xFF, 0xFF, 0xFE,                         // fraction 64/256, cumulative lost -2
            0x00, 0x01, 0x00, 0x05,                         // extended highest seq
            0x00, 0x00, 0x00, 0x50,                         // jitter 80
            0x11, 0x22, 0x33, 0x44,                         // LSR
            0x00, 0x00, 0x00, 0x10,                         // DLSR
            // SDES: SC=1, PT=202, length 3 words (16 bytes)
            0x81, 0xCA, 0x00, 0x03,
            0x00, 0x00, 0x00, 0x2A,                         // SSRC 42
            0x01, 0x03, (byte)'a', (byte)'b', (byte)'c', 0x00, 0x00, 0x00, // CNAME "abc", end, pad
        ];
        var reader = new RtcpCompoundReader(data);
        Assert.True(reader.TryReadNext(out var h1, out var p1));
        Assert.Equal(RtcpPacketType.SenderReport, h1.PacketType);
        Assert.True(RtcpSenderReport.TryRead(p1, out var sr));
        Assert.Equal(42u, sr.Ssrc);
        Assert.Equal(0xE500000080000000ul, sr.NtpTimestamp);
        Assert.Equal(0x00008000u, sr.CompactNtp & 0xFFFF);
        Assert.Equal(800u, sr.RtpTimestamp);
        Assert.Equal(5u, sr.PacketCount);
        Assert.Equal(1, sr.ReportCount);
        var block = sr.GetReportBlock(0);
        Assert.Equal(7u, block.Ssrc);
        Assert.Equal(64, block.FractionLost);
        Assert.Equal(-2, block.CumulativeLost);
        Assert.Equal(0x10005u, block.ExtendedHighestSequence);
        Assert.Equal(80u, block.Jitter);
        Assert.True(reader.TryReadNext(out var h2, out var p2));
        Assert.Equal(RtcpPacketType.SourceDescription, h2.PacketType);
        Assert.True(RtcpSdes.TryRead(p2, out var sdes));
        Assert.Equal("abc", Encoding.ASCII.GetString(sdes.Cname));
        Assert.False(reader.TryReadNext(out _, out _));
        Assert.True(reader.IsValid);
    }

    public static TheoryData<string, byte[]> BadCompounds => new()
    {
        // first packet is a BYE, not SR/RR
        { "bye first", [0x81, 0xCB, 0x00, 0x01, 0, 0, 0, 1] },
        // version 1
        { "version 1", [0x40, 0xC9, 0x00, 0x01, 0, 0, 0, 1] },
        // length says 3 words, only 2 present
        { "length past end", [0x80, 0xC9, 0x00, 0x02, 0, 0, 0, 1] },
        // not a multiple of 4
        { "odd length", [0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1, 0] },
        // padding bit on a packet that is not last
        { "padding not last", [0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 1, 0x81, 0xCB, 0x00, 0x01, 0, 0, 0, 1] },
    };

    [Theory]
    [MemberData(nameof(BadCompounds))]
    public void Invalid_compounds_are_flagged(string name, byte[] data)
    {
        var reader = new RtcpCompoundReader(data);
        while (reader.TryReadNext(out _, out _))
        {
        }

        Assert.False(reader.IsValid, name);
    }

    [Fact]
    public void RR_with_report_count_larger_than_length_is_rejected()
    {
        // RR: RC=2, length 1 word: claims two blocks but carries none
        byte[] data = [0x82, 0xC9, 0x00, 0x01, 0, 0, 0, 1];
        Assert.False(RtcpReceiverReport.TryRead(data, out _));
    }

    [Fact]
    public void SR_SDES_BYE_compound_round_trips()
    {
        var buffer = new byte[256];
        ReadOnlySpan<ReportBlock> blocks = [new ReportBlock(9, 12, 3, 70000, 40, 0x12345678, 655)];
        var sr = new RtcpSenderReport(1, 0x0102030405060708, 160, 10, 1600, blocks);
        Assert.True(sr.TryWrite(buffer, out var n1));
        Assert.Equal(sr.Size, n1);
        var sdes = new RtcpSdes(1, "user@host"u8);
        Assert.True(sdes.TryWrite(buffer.AsSpan(n1), out var n2));
        Assert.Equal(sdes.Size, n2);
        var bye = new RtcpBye(1, "done"u8);
        Assert.True(bye.TryWrite(buffer.AsSpan(n1 + n2), out var n3));
        Assert.Equal(bye.Size, n3);

        var reader = new RtcpCompoundReader(buffer.AsSpan(0, n1 + n2 + n3));
        Assert.True(reader.TryReadNext(out _, out var p));
        Assert.True(RtcpSenderReport.TryRead(p, out var sr2));
        Assert.Equal(blocks[0], sr2.GetReportBlock(0));
        Assert.Equal(1600u, sr2.OctetCount);
        Assert.True(reader.TryReadNext(out _, out p));
        Assert.True(RtcpSdes.TryRead(p, out var sdes2));
        Assert.Equal("user@host", Encoding.ASCII.GetString(sdes2.Cname));
        Assert.True(reader.TryReadNext(out _, out p));
        Assert.True(RtcpBye.TryRead(p, out var bye2));
        Assert.Equal(1, bye2.SourceCount);
        Assert.Equal(1u, bye2.GetSsrc(0));
        Assert.Equal("done", Encoding.ASCII.GetString(bye2.Reason));
        Assert.False(reader.TryReadNext(out _, out _));
        Assert.True(reader.IsValid);
    }

    [Fact]
    public void RR_round_trips_with_negative_cumulative_loss()
    {
        var buffer = new byte[64];
        ReadOnlySpan<ReportBlock> blocks = [new ReportBlock(5, 0, -7, 1, 2, 3, 4)];
        var rr = new RtcpReceiverReport(77, blocks);
        Assert.True(rr.TryWrite(buffer, out var n));
        Assert.Equal(32, n);
        Assert.True(RtcpReceiverReport.TryRead(buffer.AsSpan(0, n), out var back));
        Assert.Equal(77u, back.Ssrc);
        Assert.Equal(-7, back.GetReportBlock(0).CumulativeLost);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(99);
        var buffer = new byte[96];
        for (var i = 0; i < 20000; i++)
        {
            random.NextBytes(buffer);
            buffer[0] = (byte)((buffer[0] & 0x3F) | 0x80);
            buffer[1] = (byte)(200 + random.Next(5));
            var reader = new RtcpCompoundReader(buffer.AsSpan(0, random.Next(24) * 4));
            while (reader.TryReadNext(out _, out var p))
            {
                _ = RtcpSenderReport.TryRead(p, out var sr) && sr.ReportCount > 0 && sr.GetReportBlock(0).Ssrc > 0;
                _ = RtcpReceiverReport.TryRead(p, out _);
                _ = RtcpSdes.TryRead(p, out _);
                _ = RtcpBye.TryRead(p, out _);
            }
        }
    }
}
