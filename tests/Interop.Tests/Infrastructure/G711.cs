namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// Minimal ITU-T G.711 µ-law/A-law codec for the tests (independent of Telephony.Pbx on purpose, so the
/// tests do not share a bug with the code they test).
/// </summary>
public static class G711
{
    private const int MuLawBias = 0x84;
    private const int MuLawClip = 32635;

    /// <summary>µ-law code word to linear PCM16.</summary>
    public static short MuLawDecode(byte code)
    {
        int u = ~code & 0xFF;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        int magnitude = (((mantissa << 3) + MuLawBias) << exponent) - MuLawBias;
        return (short)((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    /// <summary>Linear PCM16 to µ-law.</summary>
    public static byte MuLawEncode(short sample)
    {
        int s = sample;
        int sign = 0;
        if (s < 0)
        {
            sign = 0x80;
            s = -s;
        }

        s = Math.Min(s, MuLawClip) + MuLawBias;
        int exponent = 7;
        for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        int mantissa = (s >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>A-law code word to linear PCM16.</summary>
    public static short ALawDecode(byte code)
    {
        int a = code ^ 0x55;
        int exponent = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        int magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (short)((a & 0x80) != 0 ? magnitude : -magnitude);
    }

    /// <summary>Decodes a PCMU (payload type 0) or PCMA (8) payload into <paramref name="destination"/>.</summary>
    public static void Decode(int payloadType, ReadOnlySpan<byte> payload, List<short> destination)
    {
        foreach (byte b in payload)
        {
            destination.Add(payloadType == 8 ? ALawDecode(b) : MuLawDecode(b));
        }
    }
}
