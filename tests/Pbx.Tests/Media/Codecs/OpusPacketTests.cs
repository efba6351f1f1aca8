using Telephony.Pbx.Media.Codecs;

namespace Telephony.Pbx.Tests.Media.Codecs;

/// <summary>RFC 6716 §3 framing: TOC byte (§3.1), the four codes (§3.2) and the receiver's checks [R1]–[R7] (§3.4).</summary>
public sealed class OpusPacketTests
{
    private static byte Toc(int configuration, bool stereo, int code) => (byte)((configuration << 3) | (stereo ? 4 : 0) | code);

    private static OpusPacketInfo Parse(params byte[] packet)
    {
        Assert.Equal(OpusPacketError.None, OpusPacket.TryParse(packet, out var info));
        return info;
    }

    private static void Refused(OpusPacketError expected, params byte[] packet) =>
        Assert.Equal(expected, OpusPacket.TryParse(packet, out _));

    // RFC 6716 §3.1, Table 2: configuration → mode, bandwidth, frame size.
    [Theory]
    [InlineData(0, OpusCodingMode.Silk, OpusAudioBandwidth.Narrowband, 480)]
    [InlineData(1, OpusCodingMode.Silk, OpusAudioBandwidth.Narrowband, 960)]
    [InlineData(2, OpusCodingMode.Silk, OpusAudioBandwidth.Narrowband, 1920)]
    [InlineData(3, OpusCodingMode.Silk, OpusAudioBandwidth.Narrowband, 2880)]
    [InlineData(5, OpusCodingMode.Silk, OpusAudioBandwidth.Mediumband, 960)]
    [InlineData(9, OpusCodingMode.Silk, OpusAudioBandwidth.Wideband, 960)]
    [InlineData(11, OpusCodingMode.Silk, OpusAudioBandwidth.Wideband, 2880)]
    [InlineData(12, OpusCodingMode.Hybrid, OpusAudioBandwidth.SuperWideband, 480)]
    [InlineData(13, OpusCodingMode.Hybrid, OpusAudioBandwidth.SuperWideband, 960)]
    [InlineData(14, OpusCodingMode.Hybrid, OpusAudioBandwidth.Fullband, 480)]
    [InlineData(15, OpusCodingMode.Hybrid, OpusAudioBandwidth.Fullband, 960)]
    [InlineData(16, OpusCodingMode.Celt, OpusAudioBandwidth.Narrowband, 120)]
    [InlineData(19, OpusCodingMode.Celt, OpusAudioBandwidth.Narrowband, 960)]
    [InlineData(21, OpusCodingMode.Celt, OpusAudioBandwidth.Wideband, 240)]
    [InlineData(26, OpusCodingMode.Celt, OpusAudioBandwidth.SuperWideband, 480)]
    [InlineData(31, OpusCodingMode.Celt, OpusAudioBandwidth.Fullband, 960)]
    public void Toc_configuration_gives_mode_bandwidth_and_frame_size(
        int configuration, OpusCodingMode mode, OpusAudioBandwidth bandwidth, int samplesPerFrame)
    {
        var info = Parse(Toc(configuration, false, 0), 0x00, 0x11);
        Assert.Equal(configuration, info.Configuration);
        Assert.Equal(mode, info.Mode);
        Assert.Equal(bandwidth, info.Bandwidth);
        Assert.Equal(samplesPerFrame, info.SamplesPerFrame);
        Assert.Equal(1, info.FrameCount);
        Assert.False(info.IsStereo);
    }

    [Fact]
    public void Stereo_bit_is_read() => Assert.True(Parse(Toc(31, true, 0), 0x01).IsStereo);

    [Fact]
    public void R1_an_empty_packet_is_refused() => Refused(OpusPacketError.Empty);

    [Fact]
    public void Code_0_with_only_the_toc_is_a_zero_length_dtx_frame()
    {
        var info = Parse(Toc(9, false, 0));
        Assert.Equal(0, info.FirstFrameLength);
        Assert.False(info.HasLbrr);
    }

    [Fact]
    public void R2_an_implicit_frame_over_1275_bytes_is_refused()
    {
        var packet = new byte[1 + 1276];
        packet[0] = Toc(1, false, 0);
        Refused(OpusPacketError.FrameTooLong, packet);
        Assert.Equal(1275, Parse(packet[..1276]).FirstFrameLength);
    }

    [Fact]
    public void R3_code_1_needs_an_odd_total_length_and_splits_it_in_two()
    {
        Refused(OpusPacketError.Code1OddLength, Toc(1, false, 1), 1, 2, 3);
        var info = Parse(Toc(1, false, 1), 1, 2, 3, 4);
        Assert.Equal(2, info.FrameCount);
        Assert.Equal(2, info.FirstFrameLength);
        Assert.Equal(1920, info.Samples);
    }

    [Fact]
    public void R4_code_2_needs_a_first_length_that_fits()
    {
        Refused(OpusPacketError.Code2BadLength, Toc(1, false, 2));
        Refused(OpusPacketError.Code2BadLength, Toc(1, false, 2), 252); // two-byte length cut short
        Refused(OpusPacketError.Code2BadLength, Toc(1, false, 2), 4, 1, 2, 3);
        var info = Parse(Toc(1, false, 2), 3, 1, 2, 3, 4, 5);
        Assert.Equal((2, 2, 3), (info.FrameCount, info.FirstFrameOffset, info.FirstFrameLength));
    }

    [Fact]
    public void Two_byte_frame_lengths_are_first_plus_four_times_second()
    {
        // §3.2.1: 252 + 4 × 1 = 256 bytes of first frame, then a 1-byte second frame.
        var packet = new byte[1 + 2 + 256 + 1];
        packet[0] = Toc(1, false, 2);
        packet[1] = 252;
        packet[2] = 1;
        var info = Parse(packet);
        Assert.Equal((3, 256), (info.FirstFrameOffset, info.FirstFrameLength));
    }

    [Fact]
    public void R5_code_3_needs_one_to_120_ms_of_frames()
    {
        Refused(OpusPacketError.Code3BadFrameCount, Toc(1, false, 3));
        Refused(OpusPacketError.Code3BadFrameCount, Toc(1, false, 3), 0x00);
        Refused(OpusPacketError.Code3BadFrameCount, Toc(3, false, 3), 0x03, 1, 1, 1); // 3 × 60 ms
        Refused(OpusPacketError.Code3BadFrameCount, Toc(16, false, 3), 49);          // 49 × 2.5 ms
        var info = Parse([Toc(16, false, 3), 48, .. new byte[48]]);                  // 48 × 2.5 ms = 120 ms
        Assert.Equal((48, 5760), (info.FrameCount, info.Samples));
    }

    [Fact]
    public void R6_cbr_code_3_needs_a_multiple_of_the_frame_count_after_padding()
    {
        Refused(OpusPacketError.Code3BadCbrLength, Toc(1, false, 3), 0x02, 1, 2, 3);
        Refused(OpusPacketError.Code3BadCbrLength, Toc(1, false, 3), 0x42, 5, 1, 2); // 5 padding bytes > what is left
        var info = Parse(Toc(1, false, 3), 0x42, 2, 1, 2, 3, 4, 0, 0);               // 2 frames of 2, 2 padding bytes
        Assert.Equal((2, 3, 2), (info.FrameCount, info.FirstFrameOffset, info.FirstFrameLength));
    }

    [Fact]
    public void Padding_length_255_means_254_bytes_and_another_length_byte()
    {
        // One CBR frame of 3 bytes, padding 254 + 1 = 255 bytes.
        byte[] packet = [Toc(1, false, 3), 0x41, 255, 1, 7, 8, 9, .. new byte[255]];
        var info = Parse(packet);
        Assert.Equal((4, 3), (info.FirstFrameOffset, info.FirstFrameLength));
        Refused(OpusPacketError.Code3BadCbrLength, packet[..200]); // padding longer than the packet
    }

    [Fact]
    public void R7_vbr_code_3_needs_room_for_its_coded_lengths()
    {
        Refused(OpusPacketError.Code3BadVbrLength, Toc(1, false, 3), 0x82);          // length byte missing
        Refused(OpusPacketError.Code3BadVbrLength, Toc(1, false, 3), 0x82, 5, 1, 2); // 5 > what is left
        var info = Parse(Toc(1, false, 3), 0x83, 1, 2, 9, 8, 8, 7, 7, 7);            // frames of 1, 2 and 3 bytes
        Assert.Equal((3, 4, 1), (info.FrameCount, info.FirstFrameOffset, info.FirstFrameLength));
    }

    // RFC 6716 §4.1.1/§4.1.3.2: the first two binary symbols of the range decoder are the VAD and LBRR flags (§4.2.3).
    // 0xFF…: val starts at 0, below every split, so both are 1. 0x00…: val starts at 127·2^24, both are 0.
    // 0x80…: val ≈ 63.99·2^24 < 2^30 → VAD 1, then ≥ 2^29 → LBRR 0. 0x40…: ≈ 95·2^24 → VAD 0, then 31·2^24 → LBRR 1.
    [Theory]
    [InlineData(0xFF, true)]
    [InlineData(0x00, false)]
    [InlineData(0x80, false)]
    [InlineData(0x40, true)]
    public void Lbrr_flag_is_the_second_range_coded_symbol_of_a_silk_frame(int firstByte, bool lbrr)
    {
        Assert.Equal(lbrr, Parse(Toc(9, false, 0), (byte)firstByte, 0, 0, 0).HasLbrr);
        Assert.Equal(lbrr, Parse(Toc(13, false, 0), (byte)firstByte, 0, 0, 0).HasLbrr); // hybrid: SILK comes first
        Assert.False(Parse(Toc(31, false, 0), (byte)firstByte, 0, 0, 0).HasLbrr);       // CELT never has LBRR
    }

    [Fact]
    public void Random_bytes_never_throw_and_what_parses_stays_inside_the_packet()
    {
        var random = new Random(6716);
        for (var i = 0; i < 20_000; i++)
        {
            var packet = new byte[random.Next(0, 400)];
            random.NextBytes(packet);
            if (OpusPacket.TryParse(packet, out var info) == OpusPacketError.None)
            {
                Assert.InRange(info.Samples, 120, OpusPacket.MaxPacketSamples);
                Assert.InRange(info.FirstFrameOffset + info.FirstFrameLength, 1, packet.Length);
                Assert.InRange(info.FirstFrameLength, 0, OpusPacket.MaxFrameBytes);
            }
        }
    }
}
