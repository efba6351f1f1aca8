using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Telephony.Pbx.Media.Resampling;

/// <summary>
/// Streaming sample-rate converter for 16-bit mono PCM between rates whose ratio is a whole number: 8 ↔ 16 ↔ 48 kHz
/// (the engine's 8 kHz G.711 frames and the 48 kHz Opus clock of RFC 7587 §4.1). A polyphase FIR: one linear-phase
/// Kaiser-windowed-sinc low-pass (<see cref="KaiserLowPass"/>) designed at construction, passband up to 85 % of the
/// lower rate's Nyquist (3.4 kHz at 8 kHz), stopband from that Nyquist on with <see cref="StopbandAttenuationDb"/>
/// (no aliasing when decimating, no images when interpolating). Interpolating by L runs the filter's L phases on the
/// input; decimating by M evaluates the filter only at every M-th input sample. The past input is kept across calls,
/// so 20 ms frames join exactly as if the whole signal went through at once; the delay is fixed and whole
/// (<see cref="DelayOutputSamples"/>, 32 samples of the lower rate: 4 ms at 8 kHz, 2 ms at 16 kHz).
/// One instance per stream and direction, owned by one media loop: not thread-safe; <see cref="Process"/>
/// allocates nothing.
/// </summary>
public sealed class AudioResampler
{
    /// <summary>End of the passband as a fraction of the lower rate's Nyquist frequency (3.4 kHz for 8 kHz).</summary>
    public const double PassbandFraction = 0.85;

    /// <summary>Designed attenuation from the lower rate's Nyquist frequency up.</summary>
    public const double StopbandAttenuationDb = 75;

    /// <summary>Largest supported ratio between the two rates.</summary>
    public const int MaxFactor = 12;

    private const int ChunkInputSamples = 960;

    private readonly float[] _coefficients;  // up: Factor phases of _tapsPerPhase each; down: one filter; both reversed
    private readonly int _tapsPerPhase;      // a multiple of Vector<float>.Count (zeros pad the oldest end)
    private readonly float[] _window;        // _tapsPerPhase - 1 past input samples, then one chunk of new ones
    private readonly bool _up;
    private int _phase;                       // down: position of the next input sample in its group of Factor

    /// <summary>Creates a converter from <paramref name="inputRateHz"/> to <paramref name="outputRateHz"/>.</summary>
    /// <exception cref="ArgumentException">The rates are not positive or their ratio is not a whole number ≤ 12.</exception>
    public AudioResampler(int inputRateHz, int outputRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRateHz);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRateHz);
        var high = Math.Max(inputRateHz, outputRateHz);
        var low = Math.Min(inputRateHz, outputRateHz);
        if (high % low != 0 || high / low > MaxFactor)
        {
            throw new ArgumentException(
                $"Cannot convert {inputRateHz} Hz to {outputRateHz} Hz: the ratio must be a whole number up to {MaxFactor}.");
        }

        InputRateHz = inputRateHz;
        OutputRateHz = outputRateHz;
        Factor = high / low;
        _up = outputRateHz > inputRateHz;
        if (Factor == 1)
        {
            _coefficients = [];
            _window = [];
            return;
        }

        var lowNyquistHz = low / 2.0;
        var taps = KaiserLowPass.Design(
            high, PassbandFraction * lowNyquistHz, lowNyquistHz, StopbandAttenuationDb, delayMultiple: Factor);
        FilterLength = taps.Length;
        var groupDelay = (taps.Length - 1) / 2; // in samples of the higher rate, a multiple of Factor
        DelayOutputSamples = _up ? groupDelay : groupDelay / Factor;

        var width = Vector<float>.Count;
        if (_up)
        {
            // Phase p of output m·L + p sees input m − j with tap h[p + j·L]; stored oldest first, scaled by L to
            // make up for the L − 1 zeros that interpolation puts between input samples.
            _tapsPerPhase = RoundUp((taps.Length + Factor - 1) / Factor, width);
            _coefficients = new float[Factor * _tapsPerPhase];
            for (var p = 0; p < Factor; p++)
            {
                for (var i = 0; i < _tapsPerPhase; i++)
                {
                    var tap = p + ((_tapsPerPhase - 1 - i) * Factor);
                    _coefficients[(p * _tapsPerPhase) + i] = tap < taps.Length ? (float)(taps[tap] * Factor) : 0f;
                }
            }
        }
        else
        {
            _tapsPerPhase = RoundUp(taps.Length, width);
            _coefficients = new float[_tapsPerPhase];
            for (var i = 0; i < _tapsPerPhase; i++)
            {
                var tap = _tapsPerPhase - 1 - i;
                _coefficients[i] = tap < taps.Length ? (float)taps[tap] : 0f;
            }
        }

        _window = new float[_tapsPerPhase - 1 + ChunkInputSamples];
    }

    public int InputRateHz { get; }
    public int OutputRateHz { get; }

    /// <summary>Ratio between the higher and the lower rate (1 = plain copy).</summary>
    public int Factor { get; }

    /// <summary>Length of the designed low-pass in taps at the higher rate (0 for a plain copy).</summary>
    public int FilterLength { get; }

    /// <summary>
    /// Fixed delay between input and output, in output samples: a feature at input sample n comes out at output
    /// sample n·OutputRateHz/InputRateHz + DelayOutputSamples.
    /// </summary>
    public int DelayOutputSamples { get; }

    /// <summary><see cref="DelayOutputSamples"/> in milliseconds.</summary>
    public double DelayMs => DelayOutputSamples * 1000.0 / OutputRateHz;

    /// <summary>Number of samples the next <see cref="Process"/> call produces for <paramref name="inputLength"/> samples.</summary>
    public int GetOutputLength(int inputLength)
    {
        if (inputLength <= 0)
        {
            return 0;
        }

        if (_up || Factor == 1)
        {
            return inputLength * Factor;
        }

        var first = (Factor - _phase) % Factor; // index of the first input sample that completes an output
        return inputLength <= first ? 0 : ((inputLength - first + Factor - 1) / Factor);
    }

    /// <summary>
    /// Converts <paramref name="input"/> into the start of <paramref name="output"/> and returns the number of samples
    /// written (<see cref="GetOutputLength"/>: 160 → 960 for 8 → 48 kHz, 960 → 160 back). Any input length works;
    /// decimation remembers where it is in its group of <see cref="Factor"/> samples.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than the output (a programming error).</exception>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        var required = GetOutputLength(input.Length);
        if (output.Length < required)
        {
            ThrowOutputTooShort(required, output.Length);
        }

        if (Factor == 1)
        {
            input.CopyTo(output);
            return input.Length;
        }

        var produced = 0;
        var history = _tapsPerPhase - 1;
        while (!input.IsEmpty)
        {
            var count = Math.Min(input.Length, ChunkInputSamples);
            var fresh = _window.AsSpan(history, count);
            for (var i = 0; i < count; i++)
            {
                fresh[i] = input[i];
            }

            produced += _up ? Interpolate(count, output[produced..]) : Decimate(count, output[produced..]);

            // Keep the newest history samples at the front for the next chunk (overlapping copy is a memmove).
            _window.AsSpan(count, history).CopyTo(_window);
            input = input[count..];
        }

        return produced;
    }

    /// <summary>Forgets the past input (a new stream starts from silence).</summary>
    public void Reset()
    {
        Array.Clear(_window);
        _phase = 0;
    }

    private int Interpolate(int count, Span<short> output)
    {
        ref var window = ref MemoryMarshal.GetArrayDataReference(_window);
        ref var coefficients = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        var taps = _tapsPerPhase;
        var o = 0;
        for (var m = 0; m < count; m++)
        {
            ref var newest = ref Unsafe.Add(ref window, m); // window of input m: _window[m .. m + taps - 1]
            for (var p = 0; p < Factor; p++)
            {
                output[o++] = ToSample(Dot(ref Unsafe.Add(ref coefficients, p * taps), ref newest, taps));
            }
        }

        return o;
    }

    private int Decimate(int count, Span<short> output)
    {
        ref var window = ref MemoryMarshal.GetArrayDataReference(_window);
        ref var coefficients = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        var o = 0;
        for (var i = (Factor - _phase) % Factor; i < count; i += Factor)
        {
            output[o++] = ToSample(Dot(ref coefficients, ref Unsafe.Add(ref window, i), _tapsPerPhase));
        }

        _phase = (_phase + count) % Factor;
        return o;
    }

    /// <summary>Dot product of two runs of <paramref name="length"/> floats, a multiple of the vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ref float a, ref float b, int length)
    {
        var width = Vector<float>.Count;
        var sum0 = Vector<float>.Zero;
        var sum1 = Vector<float>.Zero;
        var i = 0;
        for (; i <= length - (2 * width); i += 2 * width)
        {
            sum0 += Vector.LoadUnsafe(ref a, (nuint)i) * Vector.LoadUnsafe(ref b, (nuint)i);
            sum1 += Vector.LoadUnsafe(ref a, (nuint)(i + width)) * Vector.LoadUnsafe(ref b, (nuint)(i + width));
        }

        if (i < length)
        {
            sum0 += Vector.LoadUnsafe(ref a, (nuint)i) * Vector.LoadUnsafe(ref b, (nuint)i);
        }

        return Vector.Sum(sum0 + sum1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static short ToSample(float value) =>
        (short)Math.Clamp((int)MathF.Round(value), short.MinValue, short.MaxValue);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowOutputTooShort(int required, int length) =>
        throw new ArgumentException($"Output holds {length} samples; this call produces {required}.", "output");
}
