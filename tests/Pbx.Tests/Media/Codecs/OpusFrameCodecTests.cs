using Telephony.Pbx.Media.Codecs;
using Telephony.Pbx.Tests.Media.Resampling;
using Xunit.Abstractions;
using static Telephony.Pbx.Tests.Media.Codecs.OpusTestStream;

namespace Telephony.Pbx.Tests.Media.Codecs;

/// <summary>Round trips through Concentus (libopus or the managed port): RFC 6716 behaviour seen from the engine.</summary>
public sealed class OpusFrameCodecTests(ITestOutputHelper output)
{
    private const double Amplitude = 8000; // about -12 dBFS

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(OpusTestStream))]
    public void A_1_kHz_tone_survives_the_round_trip_with_its_level(bool managedOnly)
    {
        using var encoder = new OpusFrameEncoder(null, managedOnly);
        using var decoder = new OpusFrameDecoder(managedOnly);
        var decoded = Decode(decoder, Encode(encoder, Signal.Tone(1000, 48000, 50 * Frame, Amplitude)));

        var steady = decoded.AsSpan(10 * Frame, 40 * Frame); // past the codec delay and the encoder's start-up
        var share = Signal.ToneShare(steady, 1000, 48000);
        var levelDb = Signal.Db(Signal.TonePower(steady, 1000, 48000) / (Amplitude * Amplitude / 2));
        output.WriteLine($"{encoder.Version}: tone share {share:F4}, level {levelDb:F2} dB, lookahead {encoder.LookaheadSamples}");
        Assert.True(share >= 0.9, $"share {share}");
        Assert.InRange(levelDb, -1, 1);
        Assert.Equal(312, encoder.LookaheadSamples); // 2.5 ms + 4 ms VOIP delay compensation at 48 kHz
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void The_low_complexities_of_rtp_opusComplexity_keep_a_voice_band_tone_and_its_level(int complexity)
    {
        // rtp.opusComplexity defaults to 1 (CPU per browser leg): telephone-band audio must come through as well as at 5.
        using var encoder = new OpusFrameEncoder(OpusEncoderSettings.Default with { Complexity = complexity });
        using var decoder = new OpusFrameDecoder();
        foreach (int hz in new[] { 440, 1000, 3000 })
        {
            var decoded = Decode(decoder, Encode(encoder, Signal.Tone(hz, 48000, 50 * Frame, Amplitude)));
            var steady = decoded.AsSpan(10 * Frame, 40 * Frame);
            var share = Signal.ToneShare(steady, hz, 48000);
            var levelDb = Signal.Db(Signal.TonePower(steady, hz, 48000) / (Amplitude * Amplitude / 2));
            output.WriteLine($"complexity {complexity}, {hz} Hz: tone share {share:F4}, level {levelDb:F2} dB");
            Assert.True(share >= 0.9, $"complexity {complexity}, {hz} Hz: share {share}");
            Assert.InRange(levelDb, -1.5, 1.5);
        }
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(OpusTestStream))]
    public void Concealment_right_after_speech_is_not_silent(bool managedOnly)
    {
        using var encoder = new OpusFrameEncoder(null, managedOnly);
        using var decoder = new OpusFrameDecoder(managedOnly);
        Decode(decoder, Encode(encoder, Signal.Tone(440, 48000, 25 * Frame, Amplitude)));

        var concealed = new short[Frame];
        Assert.Equal(OpusDecodeResult.Concealed, decoder.Conceal(concealed));
        var relativeDb = Signal.Db(Signal.Power(concealed) / (Amplitude * Amplitude / 2));
        var share = Signal.ToneShare(concealed, 440, 48000);
        output.WriteLine($"concealed frame: {relativeDb:F1} dB relative to the tone, 440 Hz share {share:F2}");
        Assert.True(relativeDb > -10, $"concealment only {relativeDb:F1} dB");
        Assert.True(share > 0.5, $"share {share}");
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(OpusTestStream))]
    public void Fec_rebuilds_a_lost_frame_better_than_concealment(bool managedOnly)
    {
        // The signal changes pitch exactly where the lost frame's decoded audio starts (decoded audio lags by the
        // lookahead), so concealment, which extrapolates the frame before, cannot know; LBRR in packet n + 1 does.
        const int lost = 30;
        using var encoder = new OpusFrameEncoder(null, managedOnly);
        var switchAt = (lost * Frame) - encoder.LookaheadSamples;
        var original = Switching(500, 1300, switchAt, 40 * Frame, Amplitude);
        var packets = Encode(encoder, original);
        Assert.True(OpusFrameDecoder.CarriesFec(packets[lost + 1]), "packet n + 1 carries LBRR");

        using var concealing = new OpusFrameDecoder(managedOnly);
        using var recovering = new OpusFrameDecoder(managedOnly);
        Decode(concealing, packets.Take(lost));
        Decode(recovering, packets.Take(lost));
        var concealed = new short[Frame];
        var recovered = new short[Frame];
        Assert.Equal(OpusDecodeResult.Concealed, concealing.Conceal(concealed));
        Assert.Equal(OpusDecodeResult.Recovered, recovering.Recover(packets[lost + 1], recovered));

        var reference = original[switchAt..(switchAt + Frame)];
        double Error(short[] rebuilt)
        {
            double error = 0, signal = 0;
            for (var i = 0; i < Frame; i++)
            {
                error += Math.Pow(rebuilt[i] - reference[i], 2);
                signal += Math.Pow(reference[i], 2);
            }

            return Signal.Db(error / signal);
        }

        var (fecShare, plcShare) = (Signal.ToneShare(recovered, 1300, 48000), Signal.ToneShare(concealed, 1300, 48000));
        var (fecError, plcError) = (Error(recovered), Error(concealed));
        output.WriteLine($"1300 Hz share: FEC {fecShare:F2}, PLC {plcShare:F2}; error vs original: FEC {fecError:F1} dB, PLC {plcError:F1} dB");
        Assert.True(fecShare > 0.5 && fecShare > plcShare + 0.3, $"FEC share {fecShare:F2}, PLC {plcShare:F2}");
        Assert.True(fecError < plcError, $"FEC error {fecError:F1} dB, PLC {plcError:F1} dB");

        // The recovered stream goes on with packet n + 1 as usual.
        Assert.Equal(OpusDecodeResult.Decoded, recovering.Decode(packets[lost + 1], new short[Frame], out var samples));
        Assert.Equal(Frame, samples);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(OpusTestStream))]
    public void Recover_without_lbrr_conceals_and_says_so(bool managedOnly)
    {
        using var encoder = new OpusFrameEncoder(OpusEncoderSettings.Default with { InbandFec = false }, managedOnly);
        using var decoder = new OpusFrameDecoder(managedOnly);
        var packets = Encode(encoder, Signal.Tone(440, 48000, 12 * Frame, Amplitude));
        Assert.DoesNotContain(packets, p => OpusFrameDecoder.CarriesFec(p));
        Decode(decoder, packets.Take(10));
        Assert.Equal(OpusDecodeResult.Concealed, decoder.Recover(packets[11], new short[Frame]));
        Assert.Equal(OpusDecodeResult.Concealed, decoder.Recover([0xFF, 0x00], new short[Frame])); // invalid packet
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(OpusTestStream))]
    public void Dtx_packets_decode_as_quiet_comfort_noise_without_glitches(bool managedOnly)
    {
        using var encoder = new OpusFrameEncoder(OpusEncoderSettings.Default with { Dtx = true }, managedOnly);
        using var decoder = new OpusFrameDecoder(managedOnly);
        var random = new Random(1);
        var signal = Signal.Tone(440, 48000, 80 * Frame, Amplitude);
        for (var i = 20 * Frame; i < signal.Length; i++)
        {
            signal[i] = (short)random.Next(-3, 4); // near-silence after 400 ms of tone
        }

        var packets = Encode(encoder, signal);
        var tiny = packets.Skip(20).Count(p => p.Length <= 2);
        output.WriteLine($"packet sizes after the tone: {string.Join(",", packets.Skip(20).Select(p => p.Length))}");
        Assert.True(tiny >= 30, $"only {tiny} DTX packets");

        var decoded = Decode(decoder, packets);
        var tonePeak = decoded.Skip(5 * Frame).Take(15 * Frame).Max(s => Math.Abs((int)s));
        var afterPeak = decoded.Skip(20 * Frame).Max(s => Math.Abs((int)s));
        var tailDb = Signal.Db(Signal.Power(decoded.AsSpan(40 * Frame)) / (Amplitude * Amplitude / 2));
        output.WriteLine($"peak during the tone {tonePeak}, after it {afterPeak}; silence at {tailDb:F1} dB relative to the tone");
        Assert.True(afterPeak <= 1.1 * tonePeak, "no burst after the talkspurt");
        Assert.True(tailDb < -40, "the silence stays quiet");
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(OpusTestStream))]
    public void One_to_three_byte_packets_after_speech_decode_without_glitches(bool managedOnly)
    {
        using var encoder = new OpusFrameEncoder(null, managedOnly);
        using var decoder = new OpusFrameDecoder(managedOnly);
        Decode(decoder, Encode(encoder, Signal.Tone(440, 48000, 20 * Frame, Amplitude)));
        var pcm = new short[OpusFrameDecoder.MaxPacketSamples];
        byte toc = 9 << 3; // SILK WB 20 ms, mono, code 0
        foreach (var packet in new byte[][] { [toc], [toc, 0x00], [toc, 0x00, 0x00], [toc, 0xFF], [toc, 0x12, 0x34] })
        {
            Assert.Equal(OpusDecodeResult.Decoded, decoder.Decode(packet, pcm, out var samples));
            Assert.Equal(Frame, samples);
            Assert.True(pcm.Take(samples).Max(s => Math.Abs((int)s)) <= 1.2 * Amplitude, $"glitch after {packet.Length} bytes");
        }
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(OpusTestStream))]
    public void A_stereo_stream_decodes_to_mono(bool managedOnly)
    {
        using var stereo = new OpusFrameEncoder(OpusEncoderSettings.Default with { BitrateBps = 64_000 }, managedOnly, channels: 2);
        using var decoder = new OpusFrameDecoder(managedOnly);
        var left = Signal.Tone(1000, 48000, 50 * Frame, Amplitude);
        var interleaved = new short[2 * left.Length];
        for (var i = 0; i < left.Length; i++)
        {
            interleaved[2 * i] = left[i];
            interleaved[(2 * i) + 1] = left[i];
        }

        var packets = Encode(stereo, interleaved);
        Assert.Contains(packets, p => OpusPacket.TryParse(p, out var info) == OpusPacketError.None && info.IsStereo);
        var decoded = Decode(decoder, packets);
        Assert.Equal(50 * Frame, decoded.Length);
        var steady = decoded.AsSpan(10 * Frame, 40 * Frame);
        var levelDb = Signal.Db(Signal.TonePower(steady, 1000, 48000) / (Amplitude * Amplitude / 2));
        Assert.True(Signal.ToneShare(steady, 1000, 48000) >= 0.9);
        Assert.InRange(levelDb, -1.5, 1.5);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(OpusTestStream))]
    public void Lbrr_is_found_in_stereo_silk_packets_and_recovers_a_loss(bool managedOnly)
    {
        // Stereo SILK codes mid then side, each with its VAD flags and LBRR flag (RFC 6716 §4.2.3).
        var settings = OpusEncoderSettings.Default with { BitrateBps = 40_000 };
        using var stereo = new OpusFrameEncoder(settings, managedOnly, channels: 2);
        var mono = OpusRobustnessTests.SpeechLike(30 * Frame);
        var interleaved = new short[2 * mono.Length];
        for (var i = 0; i < mono.Length; i++)
        {
            interleaved[2 * i] = mono[i];
            interleaved[(2 * i) + 1] = (short)(mono[i] / 2);
        }

        var packets = Encode(stereo, interleaved);
        Assert.All(packets, p => Assert.Equal(OpusPacketError.None, OpusPacket.TryParse(p, out _)));
        var withLbrr = packets.FindIndex(5, p =>
            OpusPacket.TryParse(p, out var info) == OpusPacketError.None
            && info is { IsStereo: true, Mode: OpusCodingMode.Silk, HasLbrr: true });
        Assert.True(withLbrr > 0, "a stereo SILK packet carries LBRR");

        using var decoder = new OpusFrameDecoder(managedOnly);
        Decode(decoder, packets.Take(withLbrr - 1));
        Assert.Equal(OpusDecodeResult.Recovered, decoder.Recover(packets[withLbrr], new short[Frame]));
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(OpusTestStream))]
    public void Forty_ms_packets_decode_whole_into_a_large_enough_buffer(bool managedOnly)
    {
        using var encoder = new OpusFrameEncoder(null, managedOnly);
        using var decoder = new OpusFrameDecoder(managedOnly);
        var packets = Encode(encoder, Signal.Tone(1000, 48000, 10 * 1920, Amplitude), frame: 1920);
        var pcm = new short[OpusFrameDecoder.MaxPacketSamples];
        Assert.Equal(OpusDecodeResult.Decoded, decoder.Decode(packets[0], pcm, out var samples));
        Assert.Equal(1920, samples);
        Assert.Equal(OpusDecodeResult.BufferTooSmall, decoder.Decode(packets[1], new short[Frame], out samples));
        Assert.Equal(0, samples);
    }
}
