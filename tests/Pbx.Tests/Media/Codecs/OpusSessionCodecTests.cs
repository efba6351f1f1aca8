using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Codecs;
using Telephony.Pbx.Tests.Media.Resampling;

namespace Telephony.Pbx.Tests.Media.Codecs;

/// <summary>
/// <see cref="OpusFrameCodec"/>, Opus as a session codec (RFC 7587): the engine's 8 kHz 20 ms frames in and out, 48 kHz
/// on the wire, FEC recovery (RFC 6716 §2.1.7), concealment, bad packets, 10 and 40 ms packets, allocations. Each test
/// runs on libopus (when present) and on Concentus's managed port.
/// </summary>
public sealed class OpusSessionCodecTests
{
    private const int Frame = 160;

    [Theory]
    [MemberData(nameof(OpusTestStream.Implementations), MemberType = typeof(OpusTestStream))]
    public void A_tone_survives_the_round_trip_through_48_khz_opus(bool managedOnly)
    {
        using var codec = new OpusFrameCodec(null, managedOnly);
        Assert.Equal(48000, codec.ClockRateHz);
        Assert.Equal(960, codec.TimestampUnitsPerFrame);
        Assert.Equal(1275, codec.MaxPayloadBytes);
        var heard = RoundTrip(codec, Signal.Tone(1000, 8000, 50 * Frame, 8000));
        var tail = heard.AsSpan(25 * Frame);
        Assert.True(Signal.ToneShare(tail, 1000, 8000) > 0.95, $"share {Signal.ToneShare(tail, 1000, 8000):F3}");
        Assert.InRange(Signal.Db(Signal.Power(tail) / (8000.0 * 8000 / 2)), -1.5, 1.0);
    }

    [Theory]
    [MemberData(nameof(OpusTestStream.Implementations), MemberType = typeof(OpusTestStream))]
    public void Recover_uses_fec_when_the_next_packet_has_it_and_declines_otherwise(bool managedOnly)
    {
        using var sender = new OpusFrameCodec(null, managedOnly);
        using var receiver = new OpusFrameCodec(null, managedOnly);
        var packets = Encode(sender, Signal.Tone(440, 8000, 40 * Frame, 8000));
        var withFec = packets.FindIndex(20, p => OpusFrameDecoder.CarriesFec(p));
        var withoutFec = packets.FindIndex(1, p => !OpusFrameDecoder.CarriesFec(p));
        Assert.True(withFec > 0 && withoutFec > 0);
        var pcm = new short[Frame];
        foreach (var p in packets.Take(withFec - 1))
        {
            Assert.True(receiver.Decode(p, pcm));
        }

        Assert.True(receiver.Recover(packets[withFec], pcm));
        Assert.Equal(1, receiver.RecoveredFrames);
        Assert.True(Signal.Power(pcm) > 1e5, "the rebuilt frame carries the tone");
        Assert.False(receiver.Recover(packets[withoutFec], pcm)); // no LBRR: the session conceals instead
        Assert.True(receiver.Conceal(pcm));
        Assert.Equal(1, receiver.ConcealedFrames);
    }

    [Theory]
    [MemberData(nameof(OpusTestStream.Implementations), MemberType = typeof(OpusTestStream))]
    public void A_bad_packet_plays_as_concealment_once_and_is_counted(bool managedOnly)
    {
        using var codec = new OpusFrameCodec(null, managedOnly);
        var pcm = new short[Frame];
        foreach (var p in Encode(new OpusFrameCodec(null, managedOnly), Signal.Tone(500, 8000, 10 * Frame, 8000)))
        {
            codec.Decode(p, pcm);
        }

        Assert.True(codec.Decode([0xFF, 0xFF, 0xFF], pcm)); // code 3, invalid frame count (RFC 6716 §3.2.5)
        Assert.Equal(1, codec.InvalidPackets);
        Assert.True(codec.Decode([], pcm));
        Assert.Equal(2, codec.InvalidPackets);
    }

    [Fact]
    public void Ten_ms_packets_are_completed_and_40_ms_packets_truncated_to_the_20_ms_frame()
    {
        using var codec = new OpusFrameCodec();
        using var encoder = new OpusFrameEncoder();
        var tone = Signal.Tone(600, 48000, 1920, 8000);
        var packet = new byte[OpusFrameEncoder.MaxPacketBytes];
        var pcm = new short[Frame];
        Assert.True(encoder.TryEncode(tone.AsSpan(0, 480), packet, out var length));
        Assert.True(codec.Decode(packet.AsSpan(0, length), pcm));
        Assert.True(encoder.TryEncode(tone, packet, out length));
        Assert.True(codec.Decode(packet.AsSpan(0, length), pcm));
        Assert.Equal(1, codec.TruncatedPackets);
    }

    [Fact]
    public void With_libopus_encode_decode_recover_and_conceal_allocate_nothing()
    {
        using var codec = new OpusFrameCodec();
        var packets = Encode(codec, Signal.Tone(440, 8000, 30 * Frame, 8000));
        var fec = packets.FindLast(p => OpusFrameDecoder.CarriesFec(p))!;
        var pcm = new short[Frame];
        var input = Signal.Tone(440, 8000, Frame, 8000);
        var payload = new byte[OpusFrameEncoder.MaxPacketBytes];
        for (var warm = 0; warm < 3; warm++)
        {
            codec.Encode(input, payload);
            codec.Decode(packets[warm], pcm);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            codec.Encode(input, payload);
            codec.Decode(packets[i % packets.Count], pcm);
            codec.Recover(fec, pcm);
            codec.Conceal(pcm);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (codec.IsNative)
        {
            Assert.Equal(0, allocated);
        }
    }

    [Fact]
    public void The_factory_makes_a_new_opus_codec_per_session_and_shares_g711()
    {
        using var a = AudioFrameCodecs.Create(AudioCodec.Opus);
        using var b = AudioFrameCodecs.Create(AudioCodec.Opus);
        Assert.IsType<OpusFrameCodec>(a);
        Assert.NotSame(a, b);
        Assert.Same(AudioFrameCodecs.Create(AudioCodec.Pcmu), AudioFrameCodecs.Create(AudioCodec.Pcmu));
        Assert.Equal(320, AudioFrameCodecs.Create(AudioCodec.Pcma).MaxPayloadBytes);
        Assert.False(AudioFrameCodecs.Create(AudioCodec.Pcmu).Recover([1, 2, 3], new short[Frame]));
    }

    private static List<byte[]> Encode(OpusFrameCodec codec, short[] signal)
    {
        var packets = new List<byte[]>();
        var payload = new byte[OpusFrameEncoder.MaxPacketBytes];
        for (var offset = 0; offset + Frame <= signal.Length; offset += Frame)
        {
            var length = codec.Encode(signal.AsSpan(offset, Frame), payload);
            Assert.True(length > 0);
            packets.Add(payload[..length]);
        }

        return packets;
    }

    private static short[] RoundTrip(OpusFrameCodec codec, short[] signal)
    {
        var output = new List<short>();
        var pcm = new short[Frame];
        foreach (var packet in Encode(codec, signal))
        {
            Assert.True(codec.Decode(packet, pcm));
            output.AddRange(pcm);
        }

        return [.. output];
    }
}
