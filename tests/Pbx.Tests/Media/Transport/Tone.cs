using Telephony.Pbx.Contracts.Codecs;

namespace Telephony.Pbx.Tests.Media.Transport;

/// <summary>Test tones and their measurement: a sine in 20 ms PCMU frames, RMS, and one frequency's power share (Goertzel).</summary>
internal static class Tone
{
    public static short[] Pcm(int frame, double hz, double amplitude = 8000)
    {
        var pcm = new short[160];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(amplitude * Math.Sin(2 * Math.PI * hz * ((frame * 160) + i) / 8000));
        }

        return pcm;
    }

    public static byte[] Pcmu(int frame, double hz)
    {
        var codes = new byte[160];
        MuLaw.Encode(Pcm(frame, hz), codes);
        return codes;
    }

    public static double Rms(ReadOnlySpan<short> pcm)
    {
        double sum = 0;
        foreach (var s in pcm)
        {
            sum += (double)s * s;
        }

        return pcm.IsEmpty ? 0 : Math.Sqrt(sum / pcm.Length);
    }

    /// <summary>Power at <paramref name="hz"/> (Goertzel over the whole span) as a share of the total power.</summary>
    public static double Share(ReadOnlySpan<short> pcm, double hz)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * hz / 8000);
        double s1 = 0, s2 = 0, total = 0;
        foreach (var x in pcm)
        {
            var s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
            total += (double)x * x;
        }

        var power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return total == 0 ? 0 : 2 * power / (total * pcm.Length);
    }
}
