namespace Telephony.Pbx.Tests.Media.Transport;

/// <summary>One frequency's share of a signal's power (Goertzel), at any sample rate.</summary>
internal static class Goertzel
{
    public static double Share(ReadOnlySpan<short> pcm, double hz, int rateHz)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * hz / rateHz);
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
