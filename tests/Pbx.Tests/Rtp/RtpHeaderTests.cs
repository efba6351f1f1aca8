using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Tests.Rtp;

public class RtpHeaderTests
{
    [Fact]
    public void Reads_a_minimal_PCMU_packet()
    {
        byte[] packet =
        [
            0x80, 0x80,             // V=2 P=0 X=0 CC=0 | M=1 PT=0
            0x12, 0x34,             // seq 0x1234
            0x00, 0x00, 0x01, 0x00, // timestamp 256
            0xDE, 0xAD, 0xBE, 0xEF, // SSRC
            0xFF, 0xFF,             // payload (2 bytes)
        ];
        Assert.True(RtpHeader.TryRead(packet, out var h, out var length));
        Assert.Equal(12, length);
        Assert.True(h.Marker);
        Assert.Equal(0, h.PayloadType);
        Assert.Equal(0x1234, h.SequenceNumber);
        Assert.Equal(256u, h.Timestamp);
        Assert.Equal(0xDEADBEEFu, h.Ssrc);
        Assert.Equal(2, h.GetPayload(packet, length).Length);
    }

    [Fact]
    public void Skips_CSRCs_extension_and_padding()
    {
        byte[] packet =
        [
            0xB2, 0x08,             // V=2 P=1 X=1 CC=2 | M=0 PT=8
            0x00, 0x01,             // seq 1
            0x00, 0x00, 0x00, 0xA0, // timestamp 160
            0x00, 0x00, 0x00, 0x01, // SSRC 1
            0x00, 0x00, 0x00, 0x02, // CSRC 1
            0x00, 0x00, 0x00, 0x03, // CSRC 2
            0xBE, 0xDE, 0x00, 0x01, // extension profile 0xBEDE, 1 word
            0x10, 0xAA, 0x00, 0x00, // extension word
            0xD5, 0xD5, 0xD5,       // payload (3 bytes)
            0x00, 0x00, 0x03,       // 3 padding bytes, last holds the count
        ];
        Assert.True(RtpHeader.TryRead(packet, out var h, out var length));
        Assert.Equal(12 + 8 + 8, length);
        Assert.Equal(2, h.CsrcCount);
        Assert.True(h.HasExtension);
        Assert.Equal(0xBEDE, h.ExtensionProfile);
        Assert.Equal(3, h.PaddingLength);
        Assert.Equal(8, h.PayloadType);
        Assert.Equal([0xD5, 0xD5, 0xD5], h.GetPayload(packet, length).ToArray());
    }

    public static TheoryData<string, byte[], RtpParseError> BadPackets => new()
    {
        { "11 bytes", [0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], RtpParseError.TooShort },
        { "empty", [], RtpParseError.TooShort },
        // V=1
        { "version 1", [0x40, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1], RtpParseError.BadVersion },
        // V=3
        { "version 3", [0xC0, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1], RtpParseError.BadVersion },
        // CC=1 but no CSRC follows
        { "csrc missing", [0x81, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1], RtpParseError.CsrcTruncated },
        // X=1 but only 2 bytes of extension header
        { "ext header cut", [0x90, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE], RtpParseError.ExtensionTruncated },
        // X=1, extension says 2 words, only 1 present
        {
            "ext body cut", [0x90, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x02, 1, 2, 3, 4],
            RtpParseError.ExtensionTruncated
        },
        // P=1, padding count 0
        { "padding zero", [0xA0, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0x00], RtpParseError.BadPadding },
        // P=1, padding count 9 > 2 bytes of payload
        { "padding too big", [0xA0, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0x09], RtpParseError.BadPadding },
    };

    [Theory]
    [MemberData(nameof(BadPackets))]
    public void Rejects_bad_packets_with_a_reason(string name, byte[] packet, RtpParseError expected)
    {
        Assert.Equal(expected, RtpHeader.Read(packet, out _, out _));
        Assert.False(RtpHeader.TryRead(packet, out _, out _), name);
    }

    [Fact]
    public void Write_then_read_round_trips_and_size_agrees()
    {
        var header = new RtpHeader(101, 65535, uint.MaxValue, 0x01020304, marker: true);
        var buffer = new byte[header.Size];
        Assert.True(header.TryWrite(buffer, out var written));
        Assert.Equal(header.Size, written);
        Assert.Equal([0x80, 0xE5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4], buffer);
        Assert.True(RtpHeader.TryRead(buffer, out var back, out _));
        Assert.Equal(header.SequenceNumber, back.SequenceNumber);
        Assert.Equal(header.Timestamp, back.Timestamp);
        Assert.Equal(header.Ssrc, back.Ssrc);
        Assert.True(back.Marker);
        Assert.Equal(101, back.PayloadType);
        Assert.False(header.TryWrite(new byte[11], out _));
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(4711);
        var buffer = new byte[64];
        for (var i = 0; i < 20000; i++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer);
            buffer[0] = (byte)((buffer[0] & 0x3F) | 0x80);
            var span = buffer.AsSpan(0, length);
            if (RtpHeader.TryRead(span, out var h, out var headerLength))
            {
                Assert.InRange(headerLength + h.PaddingLength, 12, length);
                _ = h.GetPayload(span, headerLength);
            }
        }
    }
}
