using Telephony.Pbx.Media.Codecs;
using Telephony.Pbx.Tests.Media.Resampling;
using Xunit.Abstractions;
using static Telephony.Pbx.Tests.Media.Codecs.OpusTestStream;

namespace Telephony.Pbx.Tests.Media.Codecs;

/// <summary>Bad input from the network, bad settings from config, and what a frame costs in allocations.</summary>
public sealed class OpusRobustnessTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(OpusTestStream))]
    public void Garbage_packets_give_a_result_never_an_exception_and_the_stream_recovers(bool managedOnly)
    {
        using var encoder = new OpusFrameEncoder(null, managedOnly);
        using var decoder = new OpusFrameDecoder(managedOnly);
        var random = new Random(7587);
        var pcm = new short[OpusFrameDecoder.MaxPacketSamples];
        var results = new Dictionary<OpusDecodeResult, int>();
        for (var i = 0; i < 3000; i++)
        {
            var packet = new byte[random.Next(0, 300)];
            random.NextBytes(packet);
            var result = decoder.Decode(packet, pcm, out var samples);
            results[result] = results.GetValueOrDefault(result) + 1;
            Assert.Contains(result, new[] { OpusDecodeResult.Decoded, OpusDecodeResult.Invalid });
            Assert.InRange(samples, OpusFrameDecoder.FrameSamples / 8, OpusFrameDecoder.MaxPacketSamples);
            Assert.Contains(decoder.Recover(packet, pcm.AsSpan(0, Frame)), new[] { OpusDecodeResult.Recovered, OpusDecodeResult.Concealed });
        }

        output.WriteLine(string.Join(", ", results.Select(r => $"{r.Key} {r.Value}")));
        var decoded = Decode(decoder, Encode(encoder, Signal.Tone(1000, 48000, 30 * Frame, 8000)));
        Assert.True(Signal.ToneShare(decoded.AsSpan(15 * Frame, 10 * Frame), 1000, 48000) > 0.9);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(OpusTestStream))]
    public void Mutated_real_packets_give_a_result_never_an_exception(bool managedOnly)
    {
        using var encoder = new OpusFrameEncoder(null, managedOnly);
        using var decoder = new OpusFrameDecoder(managedOnly);
        var packets = Encode(encoder, SpeechLike(50 * Frame));
        var random = new Random(6716);
        var pcm = new short[OpusFrameDecoder.MaxPacketSamples];
        for (var i = 0; i < 2000; i++)
        {
            var packet = packets[random.Next(packets.Count)].ToArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                packet[random.Next(packet.Length)] ^= (byte)(1 << random.Next(8));
            }

            var cut = random.Next(4) == 0 ? random.Next(packet.Length + 1) : packet.Length;
            var result = decoder.Decode(packet.AsSpan(0, cut), pcm, out var samples);
            Assert.Contains(result, new[] { OpusDecodeResult.Decoded, OpusDecodeResult.Invalid });
            Assert.InRange(samples, 120, OpusFrameDecoder.MaxPacketSamples);
        }
    }

    [Fact]
    public void An_empty_packet_is_invalid_and_conceals_one_frame()
    {
        using var decoder = new OpusFrameDecoder();
        Assert.Equal(OpusDecodeResult.Invalid, decoder.Decode([], new short[Frame], out var samples));
        Assert.Equal((Frame, OpusPacketError.Empty), (samples, decoder.LastPacketError));
        Assert.Equal(OpusDecodeResult.BufferTooSmall, decoder.Decode([], new short[100], out samples));
        Assert.Equal(OpusDecodeResult.BufferTooSmall, decoder.Conceal(new short[500]));
    }

    [Fact]
    public void Encoder_refuses_durations_opus_cannot_code_and_empty_buffers()
    {
        using var encoder = new OpusFrameEncoder();
        var packet = new byte[OpusFrameEncoder.MaxPacketBytes];
        Assert.False(encoder.TryEncode(new short[959], packet, out var length));
        Assert.False(encoder.TryEncode(new short[Frame], [], out length));
        Assert.Equal(0, length);
        Assert.True(encoder.TryEncode(new short[480], packet, out length));
        Assert.True(encoder.TryEncode(new short[Frame], packet, out length));
        Assert.InRange(length, 1, OpusFrameEncoder.MaxPacketBytes);
    }

    [Theory]
    [InlineData(5999, 5, 10)]
    [InlineData(24000, 11, 10)]
    [InlineData(24000, -1, 10)]
    [InlineData(24000, 5, 101)]
    public void Out_of_range_settings_are_a_configuration_error(int bitrate, int complexity, int loss) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new OpusFrameEncoder(new OpusEncoderSettings
        {
            BitrateBps = bitrate,
            Complexity = complexity,
            ExpectedPacketLossPercent = loss,
        }));

    [Fact]
    public void Bitrate_and_loss_can_change_mid_stream()
    {
        using var encoder = new OpusFrameEncoder();
        var tone = Signal.Tone(300, 48000, Frame, 8000);
        var packet = new byte[OpusFrameEncoder.MaxPacketBytes];
        encoder.SetBitrate(12_000);
        encoder.SetExpectedPacketLoss(250); // clamped to 100
        Assert.True(encoder.TryEncode(tone, packet, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.SetBitrate(1000));
    }

    /// <summary>Bytes allocated per call (the least of four rounds of 500 frames, after a warm-up).</summary>
    private static (double Encode, double Decode, double Conceal, double Recover) MeasureAllocations(bool managedOnly)
    {
        using var encoder = new OpusFrameEncoder(null, managedOnly);
        using var decoder = new OpusFrameDecoder(managedOnly);
        var speech = SpeechLike(50 * Frame);
        var packets = Encode(encoder, speech);
        Assert.True(packets.Count(p => OpusFrameDecoder.CarriesFec(p)) > 20, "the packets carry LBRR"); // voiced frames only
        var packet = new byte[OpusFrameEncoder.MaxPacketBytes];
        var pcm = new short[Frame];
        var frame = 0;
        void EncodeOnce() => encoder.TryEncode(speech.AsSpan((frame++ % 50) * Frame, Frame), packet, out _);
        void DecodeOnce() => decoder.Decode(packets[frame++ % 50], pcm, out _);
        void ConcealOnce() => decoder.Conceal(pcm);
        void RecoverOnce() => decoder.Recover(packets[(frame++ % 49) + 1], pcm);

        static double PerCall(Action action) => AllocationProbe.BytesPerCall(action);

        return (PerCall(EncodeOnce), PerCall(DecodeOnce), PerCall(ConcealOnce), PerCall(RecoverOnce));
    }

    /// <summary>Voiced-speech stand-in: harmonics of a gliding 120–220 Hz pitch up to 3.4 kHz, in 4 Hz syllables.</summary>
    internal static short[] SpeechLike(int length)
    {
        var samples = new short[length];
        var phase = 0.0;
        for (var i = 0; i < length; i++)
        {
            var t = i / 48000.0;
            var pitch = 170 + (50 * Math.Sin(2 * Math.PI * 1.3 * t));
            phase += 2 * Math.PI * pitch / 48000;
            var value = 0.0;
            for (var h = 1; h * pitch < 3400; h++)
            {
                value += Math.Sin(h * phase) / h;
            }

            var envelope = 0.6 + (0.4 * Math.Sin(2 * Math.PI * 4 * t));
            samples[i] = (short)(4000 * envelope * value);
        }

        return samples;
    }

    [Fact]
    public void With_libopus_a_frame_allocates_nothing_and_with_the_managed_port_what_the_readme_says()
    {
        var bytes = MeasureAllocations(managedOnly: false);
        output.WriteLine($"{OpusRuntime.Version}: encode {bytes.Encode} B, decode {bytes.Decode} B, conceal {bytes.Conceal} B, recover {bytes.Recover} B");
        if (OpusRuntime.IsNative)
        {
            Assert.Equal((0.0, 0.0, 0.0, 0.0), bytes);
        }
        else
        {
            // libopus.so is not installed here (apt-get install libopus-dev): the managed port's figures apply.
            AssertManagedFigures(bytes);
        }
    }

    [Fact]
    public void Runtime_probe_matches_what_the_factory_hands_out()
    {
        using var encoder = new OpusFrameEncoder();
        using var managed = new OpusFrameDecoder(managedOnly: true);
        Assert.Equal(OpusRuntime.IsNative, encoder.IsNative);
        Assert.StartsWith(OpusRuntime.IsNative ? "libopus" : "Concentus", OpusRuntime.Version, StringComparison.Ordinal);
        Assert.False(managed.IsNative);
    }

    [Fact]
    public void Managed_port_allocations_per_frame_stay_within_the_documented_figures()
    {
        var bytes = MeasureAllocations(managedOnly: true);
        output.WriteLine($"managed: encode {bytes.Encode} B, decode {bytes.Decode} B, conceal {bytes.Conceal} B, recover {bytes.Recover} B");
        AssertManagedFigures(bytes);
    }

    private static void AssertManagedFigures((double Encode, double Decode, double Conceal, double Recover) bytes)
    {
        Assert.InRange(bytes.Encode, 1, 120_000);
        Assert.InRange(bytes.Decode, 1, 30_000);
        Assert.InRange(bytes.Conceal, 1, 30_000);
        Assert.InRange(bytes.Recover, 1, 30_000);
    }
}
