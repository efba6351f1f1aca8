namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// Checks on received audio: duration, RMS level in dBFS, share of energy at one frequency (Goertzel),
/// 20 ms RMS envelopes and their cross-correlation with a lag search, and silence detection.
/// All inputs are mono PCM16.
/// </summary>
public static class AudioAnalysis
{
    /// <summary>The envelope frame length.</summary>
    public const int FrameMs = 20;

    /// <summary>Level treated as silence by default (dBFS).</summary>
    public const double DefaultSilenceDbfs = -50;

    /// <summary>Seconds of audio.</summary>
    public static double DurationSeconds(ReadOnlySpan<short> samples, int sampleRate = 8000) => samples.Length / (double)sampleRate;

    /// <summary>RMS in dBFS (full scale 32768); -120 for empty or digital silence.</summary>
    public static double RmsDbfs(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return -120;
        }

        double sum = 0;
        foreach (short s in samples)
        {
            sum += (double)s * s;
        }

        double rms = Math.Sqrt(sum / samples.Length) / 32768.0;
        return rms <= 1e-6 ? -120 : 20 * Math.Log10(rms);
    }

    /// <summary>True when the whole signal's RMS is below <paramref name="thresholdDbfs"/>.</summary>
    public static bool IsSilent(ReadOnlySpan<short> samples, double thresholdDbfs = DefaultSilenceDbfs) => RmsDbfs(samples) < thresholdDbfs;

    /// <summary>
    /// Fraction (0..1) of the signal energy at <paramref name="frequencyHz"/>, by Goertzel over 50 ms windows:
    /// a pure tone gives ~1.0, speech ~0.05 at 1 kHz.
    /// </summary>
    public static double ToneShare(ReadOnlySpan<short> samples, double frequencyHz, int sampleRate = 8000)
    {
        int n = sampleRate / 20;
        double k = frequencyHz * n / sampleRate;
        double coeff = 2 * Math.Cos(2 * Math.PI * k / n);
        double toneEnergy = 0, totalEnergy = 0;
        for (int start = 0; start + n <= samples.Length; start += n)
        {
            double s1 = 0, s2 = 0, energy = 0;
            for (int i = 0; i < n; i++)
            {
                double x = samples[start + i];
                energy += x * x;
                double s0 = x + (coeff * s1) - s2;
                s2 = s1;
                s1 = s0;
            }

            double power = (s1 * s1) + (s2 * s2) - (coeff * s1 * s2);
            toneEnergy += 2 * power / n;
            totalEnergy += energy;
        }

        return totalEnergy <= 0 ? 0 : Math.Min(1.0, toneEnergy / totalEnergy);
    }

    /// <summary>RMS (linear, 0..1) of each 20 ms frame.</summary>
    public static double[] Envelope(ReadOnlySpan<short> samples, int sampleRate = 8000)
    {
        int n = sampleRate * FrameMs / 1000;
        var env = new double[samples.Length / n];
        for (int f = 0; f < env.Length; f++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                double x = samples[(f * n) + i] / 32768.0;
                sum += x * x;
            }

            env[f] = Math.Sqrt(sum / n);
        }

        return env;
    }

    /// <summary>Seconds of 20 ms frames louder than <paramref name="thresholdDbfs"/>.</summary>
    public static double ActiveSeconds(ReadOnlySpan<short> samples, double thresholdDbfs = -45, int sampleRate = 8000)
    {
        double threshold = Math.Pow(10, thresholdDbfs / 20);
        return Envelope(samples, sampleRate).Count(e => e > threshold) * FrameMs / 1000.0;
    }

    /// <summary>
    /// Best Pearson correlation between the 20 ms envelopes of <paramref name="reference"/> and
    /// <paramref name="received"/> over lags 0..±<paramref name="maxLagSeconds"/> (positive lag = received later),
    /// needing an overlap of at least <paramref name="minOverlapSeconds"/>. Same speech through PCMU ~1.0,
    /// a different sentence ~0.3.
    /// </summary>
    public static (double Correlation, double LagSeconds) EnvelopeCorrelation(
        ReadOnlySpan<short> reference,
        ReadOnlySpan<short> received,
        double maxLagSeconds = 3,
        double minOverlapSeconds = 1,
        int sampleRate = 8000)
    {
        double[] a = Envelope(reference, sampleRate);
        double[] b = Envelope(received, sampleRate);
        int maxLag = (int)(maxLagSeconds * 1000 / FrameMs);
        int minOverlap = Math.Max(2, (int)(minOverlapSeconds * 1000 / FrameMs));
        double best = -1;
        int bestLag = 0;
        for (int lag = -maxLag; lag <= maxLag; lag++)
        {
            // Compare a[i] with b[i + lag].
            int start = Math.Max(0, -lag);
            int end = Math.Min(a.Length, b.Length - lag);
            if (end - start < minOverlap)
            {
                continue;
            }

            double c = Pearson(a, b, start, end, lag);
            if (c > best)
            {
                best = c;
                bestLag = lag;
            }
        }

        return (best, bestLag * FrameMs / 1000.0);
    }

    /// <summary>
    /// <see cref="EnvelopeCorrelation"/> that tolerates a stall of the test's own sender: <paramref name="received"/> is cut
    /// into <paramref name="segmentSeconds"/> pieces and each piece that carries sound is matched against
    /// <paramref name="reference"/> at its own lag (anywhere in it); the result is the mean over those pieces. A sender
    /// thread that stalls mid-stream (a 2-core box under load) makes the server hear, and record, silence followed by the
    /// rest of the speech a little later, as a live call would; one global lag cannot line both halves up, per-piece
    /// lags can. Lost or garbled audio still scores low.
    /// </summary>
    public static double SegmentedEnvelopeCorrelation(
        ReadOnlySpan<short> reference,
        ReadOnlySpan<short> received,
        double segmentSeconds = 1,
        int sampleRate = 8000)
    {
        double[] a = Envelope(reference, sampleRate);
        double[] b = Envelope(received, sampleRate);
        int segment = Math.Max(2, (int)(segmentSeconds * 1000 / FrameMs));
        double sum = 0;
        int pieces = 0;
        for (int from = 0; from + segment <= b.Length; from += segment)
        {
            double[] piece = b[from..(from + segment)];
            double mean = piece.Average();
            if (piece.Max() - piece.Min() < 1e-9 || mean <= 0)
            {
                continue; // silence: nothing to match
            }

            double best = -1;
            for (int offset = 0; offset + segment <= a.Length; offset++)
            {
                // Compare a[offset + i] with piece[i].
                best = Math.Max(best, Pearson(a[offset..(offset + segment)], piece, 0, segment, 0));
            }

            sum += best;
            pieces++;
        }

        return pieces == 0 ? 0 : sum / pieces;
    }

    private static double Pearson(double[] a, double[] b, int start, int end, int lag)
    {
        int n = end - start;
        double ma = 0, mb = 0;
        for (int i = start; i < end; i++)
        {
            ma += a[i];
            mb += b[i + lag];
        }

        ma /= n;
        mb /= n;
        double cov = 0, va = 0, vb = 0;
        for (int i = start; i < end; i++)
        {
            double da = a[i] - ma, db = b[i + lag] - mb;
            cov += da * db;
            va += da * da;
            vb += db * db;
        }

        return va <= 0 || vb <= 0 ? 0 : cov / Math.Sqrt(va * vb);
    }
}
