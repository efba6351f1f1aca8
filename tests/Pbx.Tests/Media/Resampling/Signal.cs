namespace Telephony.Pbx.Tests.Media.Resampling;

/// <summary>Test signals and measurements: tones, Goertzel tone power, THD+N, levels.</summary>
internal static class Signal
{
    public static short[] Tone(double frequencyHz, int sampleRateHz, int length, double amplitude = 16384, int start = 0)
    {
        var samples = new short[length];
        for (var i = 0; i < length; i++)
        {
            samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequencyHz * (start + i) / sampleRateHz));
        }

        return samples;
    }

    /// <summary>
    /// Power of the component at <paramref name="frequencyHz"/> (amplitude² / 2) by the Goertzel recurrence; exact when
    /// the segment holds a whole number of its cycles.
    /// </summary>
    public static double TonePower(ReadOnlySpan<short> samples, double frequencyHz, int sampleRateHz)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequencyHz / sampleRateHz);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s;
        }

        var magnitudeSquared = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return 2 * magnitudeSquared / ((double)samples.Length * samples.Length);
    }

    /// <summary>Mean square of the samples.</summary>
    public static double Power(ReadOnlySpan<short> samples)
    {
        var sum = 0.0;
        foreach (var x in samples)
        {
            sum += (double)x * x;
        }

        return samples.IsEmpty ? 0 : sum / samples.Length;
    }

    /// <summary>Share of the power in the tone at <paramref name="frequencyHz"/> (1 = a pure tone).</summary>
    public static double ToneShare(ReadOnlySpan<short> samples, double frequencyHz, int sampleRateHz) =>
        TonePower(samples, frequencyHz, sampleRateHz) / Math.Max(Power(samples), 1e-12);

    /// <summary>Everything but the tone relative to the tone, in dB (THD+N).</summary>
    public static double ThdPlusNoiseDb(ReadOnlySpan<short> samples, double frequencyHz, int sampleRateHz)
    {
        var tone = TonePower(samples, frequencyHz, sampleRateHz);
        var rest = Math.Max(Power(samples) - tone, 1e-3);
        return 10 * Math.Log10(rest / tone);
    }

    public static double Db(double powerRatio) => 10 * Math.Log10(Math.Max(powerRatio, 1e-30));

    /// <summary>Runs <paramref name="input"/> through <paramref name="convert"/> in frames of <paramref name="frame"/> samples.</summary>
    public static short[] Stream(Telephony.Pbx.Media.Resampling.AudioResampler convert, ReadOnlySpan<short> input, int frame)
    {
        var output = new List<short>();
        var buffer = new short[convert.GetOutputLength(frame) + convert.Factor];
        for (var offset = 0; offset < input.Length; offset += frame)
        {
            var chunk = input.Slice(offset, Math.Min(frame, input.Length - offset));
            var written = convert.Process(chunk, buffer);
            output.AddRange(buffer.AsSpan(0, written));
        }

        return [.. output];
    }
}
