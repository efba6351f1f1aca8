namespace Telephony.Pbx.Media.Resampling;

/// <summary>
/// Designs the linear-phase low-pass FIR used by <see cref="AudioResampler"/>: an ideal low-pass (sinc) truncated by a
/// Kaiser window, with the window's shape and length from Kaiser's empirical formulas (Oppenheim &amp; Schafer,
/// Discrete-Time Signal Processing, §7.6). Runs once per resampler, at construction.
/// </summary>
internal static class KaiserLowPass
{
    /// <summary>
    /// Taps of a low-pass at <paramref name="sampleRateHz"/> with the passband ending at <paramref name="passbandHz"/>,
    /// the stopband starting at <paramref name="stopbandHz"/> and <paramref name="stopbandDb"/> of attenuation. The
    /// length is odd and one more than a multiple of <paramref name="delayMultiple"/> × 2, so the group delay
    /// ((length − 1) / 2 samples) is a whole multiple of <paramref name="delayMultiple"/>. Taps sum to 1 (0 dB at DC).
    /// </summary>
    public static double[] Design(double sampleRateHz, double passbandHz, double stopbandHz, double stopbandDb, int delayMultiple)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stopbandHz, passbandHz);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stopbandHz, sampleRateHz / 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(delayMultiple, 1);

        var beta = Beta(stopbandDb);
        var transition = 2 * Math.PI * (stopbandHz - passbandHz) / sampleRateHz;
        var minLength = (int)Math.Ceiling(((stopbandDb - 7.95) / (2.285 * transition)) + 1);
        var step = 2 * delayMultiple;
        var length = ((Math.Max(minLength - 1, step) + step - 1) / step * step) + 1;

        var cutoff = (passbandHz + stopbandHz) / 2 / sampleRateHz; // cycles per sample
        var centre = (length - 1) / 2.0;
        var taps = new double[length];
        var sum = 0.0;
        var i0Beta = BesselI0(beta);
        for (var n = 0; n < length; n++)
        {
            var t = n - centre;
            var ideal = t == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
            var ratio = t / centre;
            var window = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - (ratio * ratio)))) / i0Beta;
            taps[n] = ideal * window;
            sum += taps[n];
        }

        for (var n = 0; n < length; n++)
        {
            taps[n] /= sum;
        }

        return taps;
    }

    /// <summary>Kaiser's β for a stopband attenuation in dB.</summary>
    public static double Beta(double stopbandDb) => stopbandDb switch
    {
        > 50 => 0.1102 * (stopbandDb - 8.7),
        >= 21 => (0.5842 * Math.Pow(stopbandDb - 21, 0.4)) + (0.07886 * (stopbandDb - 21)),
        _ => 0,
    };

    /// <summary>Zeroth-order modified Bessel function of the first kind, by its power series.</summary>
    public static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var half = x / 2;
        for (var k = 1; k < 64; k++)
        {
            term *= half / k;
            var squared = term * term;
            sum += squared;
            if (squared < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
