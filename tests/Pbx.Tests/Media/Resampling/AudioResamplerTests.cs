using Telephony.Pbx.Media.Resampling;
using Xunit.Abstractions;

namespace Telephony.Pbx.Tests.Media.Resampling;

public sealed class AudioResamplerTests(ITestOutputHelper output)
{
    private const double Amplitude = 16384; // -6 dBFS

    public static TheoryData<int, int> Pairs => new()
    {
        { 8000, 48000 }, { 48000, 8000 }, { 16000, 48000 }, { 48000, 16000 }, { 8000, 16000 }, { 16000, 8000 },
    };

    /// <summary>One second of a tone converted in 20 ms frames; returns the steady middle half second of the output.</summary>
    private static short[] ConvertTone(int fromHz, int toHz, double frequencyHz)
    {
        var resampler = new AudioResampler(fromHz, toHz);
        var converted = Signal.Stream(resampler, Signal.Tone(frequencyHz, fromHz, fromHz, Amplitude), fromHz / 50);
        return converted.AsSpan(toHz / 4, toHz / 2).ToArray();
    }

    private static double GainDb(short[] steady, double frequencyHz, int rateHz) =>
        Signal.Db(Signal.TonePower(steady, frequencyHz, rateHz) / (Amplitude * Amplitude / 2));

    [Theory]
    [InlineData(8000, 48000, 6, 32, 192)]
    [InlineData(48000, 8000, 6, 32, 32)]
    [InlineData(16000, 48000, 3, 32, 96)]
    [InlineData(48000, 16000, 3, 32, 32)]
    [InlineData(8000, 16000, 2, 32, 64)]
    [InlineData(16000, 8000, 2, 32, 32)]
    public void Delay_is_32_samples_of_the_lower_rate(int fromHz, int toHz, int factor, int lowRateSamples, int delay)
    {
        var resampler = new AudioResampler(fromHz, toHz);
        Assert.Equal(factor, resampler.Factor);
        Assert.Equal(delay, resampler.DelayOutputSamples);
        Assert.Equal(lowRateSamples * 1000.0 / Math.Min(fromHz, toHz), resampler.DelayMs, 9);
        Assert.Equal((2 * lowRateSamples * factor) + 1, resampler.FilterLength); // linear phase: delay = (length − 1) / 2
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void An_impulse_comes_out_after_exactly_the_stated_delay(int fromHz, int toHz)
    {
        var resampler = new AudioResampler(fromHz, toHz);
        var impulse = new short[fromHz / 10];
        var at = 12 * resampler.Factor; // on a decimation boundary, so the peak lands on an output sample
        impulse[at] = 30000;
        var result = Signal.Stream(resampler, impulse, fromHz / 50);
        var peak = Array.IndexOf(result, result.Max());
        Assert.Equal((long)at * toHz / fromHz + resampler.DelayOutputSamples, peak);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Passband_is_flat_within_half_a_dB_at_300_1000_3000_and_3400_Hz(int fromHz, int toHz)
    {
        foreach (var frequencyHz in new[] { 300.0, 1000, 3000, 3400 })
        {
            var gain = GainDb(ConvertTone(fromHz, toHz, frequencyHz), frequencyHz, toHz);
            output.WriteLine($"{fromHz}->{toHz} {frequencyHz} Hz: {gain:F4} dB");
            Assert.InRange(gain, -0.5, 0.5);
        }
    }

    [Theory]
    [InlineData(16000, 48000)]
    [InlineData(48000, 16000)]
    public void Passband_at_16_kHz_reaches_6800_Hz(int fromHz, int toHz)
    {
        var gain = GainDb(ConvertTone(fromHz, toHz, 6800), 6800, toHz);
        Assert.InRange(gain, -0.5, 0.5);
    }

    [Fact]
    public void Thd_plus_n_of_1_kHz_through_8_48_8_kHz_is_below_minus_60_dB()
    {
        var up = new AudioResampler(8000, 48000);
        var down = new AudioResampler(48000, 8000);
        var tone = Signal.Tone(1000, 8000, 8000, Amplitude);
        var back = Signal.Stream(down, Signal.Stream(up, tone, 160), 960);
        var steady = back.AsSpan(2000, 4000);
        var thdN = Signal.ThdPlusNoiseDb(steady, 1000, 8000);
        var gain = Signal.Db(Signal.TonePower(steady, 1000, 8000) / (Amplitude * Amplitude / 2));
        output.WriteLine($"8->48->8 kHz, 1 kHz at -6 dBFS: THD+N {thdN:F1} dB, gain {gain:F4} dB");
        Assert.True(thdN < -60, $"THD+N {thdN:F1} dB");
        Assert.InRange(gain, -0.5, 0.5);
    }

    [Fact]
    public void Thd_plus_n_of_1_kHz_from_48_to_8_kHz_is_below_minus_60_dB()
    {
        var steady = ConvertTone(48000, 8000, 1000);
        var thdN = Signal.ThdPlusNoiseDb(steady, 1000, 8000);
        output.WriteLine($"48->8 kHz, 1 kHz at -6 dBFS: THD+N {thdN:F1} dB");
        Assert.True(thdN < -60, $"THD+N {thdN:F1} dB");
    }

    [Fact]
    public void Thd_plus_n_of_1_kHz_from_8_to_48_kHz_is_below_minus_60_dB_so_no_images_remain()
    {
        var steady = ConvertTone(8000, 48000, 1000);
        var thdN = Signal.ThdPlusNoiseDb(steady, 1000, 48000);
        var image = Math.Max(Signal.TonePower(steady, 7000, 48000), Signal.TonePower(steady, 9000, 48000));
        var imageDb = Signal.Db(image / Signal.TonePower(steady, 1000, 48000));
        output.WriteLine($"8->48 kHz, 1 kHz: THD+N {thdN:F1} dB, strongest image (7/9 kHz) {imageDb:F1} dB");
        Assert.True(thdN < -60, $"THD+N {thdN:F1} dB");
        Assert.True(imageDb < -60, $"image {imageDb:F1} dB");
    }

    [Theory]
    [InlineData(48000, 8000, 6000)]  // the brief's case: 6 kHz cannot exist at 8 kHz
    [InlineData(48000, 8000, 4500)]  // would alias to 3.5 kHz, inside the telephone band
    [InlineData(48000, 8000, 4100)]  // just past the stopband edge
    [InlineData(48000, 16000, 9000)]
    [InlineData(16000, 8000, 5000)]
    public void Tones_above_the_lower_rates_Nyquist_are_removed_by_at_least_60_dB(int fromHz, int toHz, double frequencyHz)
    {
        var steady = ConvertTone(fromHz, toHz, frequencyHz);
        var remaining = Signal.Db(Signal.Power(steady) / (Amplitude * Amplitude / 2));
        output.WriteLine($"{fromHz}->{toHz}, {frequencyHz} Hz: {remaining:F1} dB");
        Assert.True(remaining <= -60, $"{frequencyHz} Hz only {remaining:F1} dB down");
    }

    [Fact]
    public void Designed_filter_is_flat_to_3400_Hz_and_at_least_72_dB_down_from_4000_Hz()
    {
        var taps = KaiserLowPass.Design(48000, 3400, 4000, AudioResampler.StopbandAttenuationDb, 6);
        double Response(double hz)
        {
            double re = 0, im = 0;
            for (var n = 0; n < taps.Length; n++)
            {
                re += taps[n] * Math.Cos(2 * Math.PI * hz * n / 48000);
                im -= taps[n] * Math.Sin(2 * Math.PI * hz * n / 48000);
            }

            return 10 * Math.Log10((re * re) + (im * im));
        }

        var ripple = Enumerable.Range(0, 341).Select(i => Response(i * 10.0)).Select(Math.Abs).Max();
        var stopband = Enumerable.Range(400, 2001).Select(i => Response(i * 10.0)).Max();
        output.WriteLine($"{taps.Length} taps, passband ripple {ripple:F4} dB, stopband peak {stopband:F1} dB");
        Assert.True(ripple < 0.01, $"ripple {ripple} dB");
        Assert.True(stopband < -72, $"stopband {stopband} dB");
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Streaming_in_frames_equals_converting_in_one_go(int fromHz, int toHz)
    {
        var random = new Random(7);
        var input = Enumerable.Range(0, fromHz / 2).Select(_ => (short)random.Next(-20000, 20000)).ToArray();
        var oneShot = new short[new AudioResampler(fromHz, toHz).GetOutputLength(input.Length)];
        Assert.Equal(oneShot.Length, new AudioResampler(fromHz, toHz).Process(input, oneShot));
        foreach (var frame in new[] { fromHz / 50, 7, 1, 961 })
        {
            Assert.Equal(oneShot, Signal.Stream(new AudioResampler(fromHz, toHz), input, frame));
        }
    }

    [Fact]
    public void Consecutive_20_ms_frames_of_a_tone_join_without_a_click()
    {
        var up = new AudioResampler(8000, 48000);
        var result = Signal.Stream(up, Signal.Tone(440, 8000, 8000, Amplitude), 160);

        // A 440 Hz sine at this amplitude moves at most 2π·440/48000·A per sample; a click at a frame join would not.
        // The first filter length is the tone's own onset.
        var largestStep = 0;
        for (var i = up.FilterLength; i < result.Length; i++)
        {
            largestStep = Math.Max(largestStep, Math.Abs(result[i] - result[i - 1]));
        }

        Assert.True(largestStep <= (2 * Math.PI * 440 / 48000 * Amplitude) + 4, $"step {largestStep}");
    }

    [Fact]
    public void Round_trip_8_48_8_kHz_returns_the_band_limited_waveform_64_samples_later()
    {
        var random = new Random(3);
        var input = new short[8000];
        foreach (var hz in new[] { 300.0, 710, 1230, 1990, 2870, 3310 })
        {
            var phase = random.NextDouble() * 2 * Math.PI;
            for (var i = 0; i < input.Length; i++)
            {
                input[i] += (short)(2500 * Math.Sin((2 * Math.PI * hz * i / 8000) + phase));
            }
        }

        var up = new AudioResampler(8000, 48000);
        var down = new AudioResampler(48000, 8000);
        var back = Signal.Stream(down, Signal.Stream(up, input, 160), 960);
        const int delay = 64;
        Assert.Equal(delay, (up.DelayOutputSamples / up.Factor) + down.DelayOutputSamples);
        double signal = 0, error = 0;
        for (var i = 1000; i < 7000; i++)
        {
            signal += (double)input[i] * input[i];
            var e = back[i + delay] - input[i];
            error += (double)e * e;
        }

        var snr = Signal.Db(signal / error);
        output.WriteLine($"round-trip waveform SNR {snr:F1} dB");
        Assert.True(snr > 55, $"SNR {snr:F1} dB");
    }

    [Fact]
    public void Full_scale_overshoot_saturates_instead_of_wrapping()
    {
        var square = Enumerable.Range(0, 1600).Select(i => (i / 20) % 2 == 0 ? short.MaxValue : short.MinValue).ToArray();
        var result = Signal.Stream(new AudioResampler(8000, 48000), square, 160);
        Assert.Contains(short.MaxValue, result);
        Assert.Contains(short.MinValue, result);
        for (var i = 300; i < result.Length - 1; i++)
        {
            // Wrapping would jump by nearly 65536 between neighbours.
            Assert.True(Math.Abs(result[i + 1] - result[i]) < 40000, $"jump at {i}");
        }
    }

    [Fact]
    public void Process_allocates_nothing_over_ten_thousand_frames()
    {
        var up = new AudioResampler(8000, 48000);
        var down = new AudioResampler(48000, 8000);
        var narrow = Signal.Tone(1000, 8000, 160, Amplitude);
        var wide = new short[960];
        var back = new short[160];
        var bytes = AllocationProbe.BytesPerCall(
            () =>
            {
                up.Process(narrow, wide);
                down.Process(wide, back);
            },
            callsPerRound: 2500);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Reset_forgets_the_past_input()
    {
        var resampler = new AudioResampler(8000, 48000);
        var fresh = new short[960];
        var again = new short[960];
        var tone = Signal.Tone(1000, 8000, 160, Amplitude);
        resampler.Process(tone, fresh);
        resampler.Process(Signal.Tone(3000, 8000, 160, Amplitude), again);
        resampler.Reset();
        resampler.Process(tone, again);
        Assert.Equal(fresh, again);
    }

    [Fact]
    public void Decimation_by_odd_lengths_remembers_its_phase()
    {
        var down = new AudioResampler(48000, 8000);
        Assert.Equal(1, down.GetOutputLength(1));
        Assert.Equal(1, down.Process(new short[1], new short[1]));
        Assert.Equal(0, down.GetOutputLength(5));
        Assert.Equal(1, down.GetOutputLength(6));
        Assert.Equal(160, down.GetOutputLength(960));
    }

    [Fact]
    public void Equal_rates_copy_the_input()
    {
        var copy = new AudioResampler(8000, 8000);
        var input = Signal.Tone(1000, 8000, 160);
        var result = new short[160];
        Assert.Equal(160, copy.Process(input, result));
        Assert.Equal(input, result);
        Assert.Equal(0, copy.DelayOutputSamples);
    }

    [Theory]
    [InlineData(44100, 8000)]
    [InlineData(8000, 12000)]
    [InlineData(8000, 8000 * 13)]
    [InlineData(0, 8000)]
    [InlineData(8000, -1)]
    public void Unsupported_rates_are_rejected_at_construction(int fromHz, int toHz) =>
        Assert.ThrowsAny<ArgumentException>(() => new AudioResampler(fromHz, toHz));

    [Fact]
    public void Too_short_an_output_is_a_programming_error()
    {
        var up = new AudioResampler(8000, 48000);
        Assert.Throws<ArgumentException>(() => up.Process(new short[160], new short[959]));
    }
}
