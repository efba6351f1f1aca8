using System.Numerics;

namespace Telephony.Recording.Writing;

/// <summary>
/// ITU-T G.711 encoders (linear 16-bit to 8-bit code word), truncating like the ITU G.191 reference.
/// Kept here because Telephony.Recording does not reference Telephony.Pbx.
/// </summary>
internal static class G711Encoder
{
    private const int MuLawBias = 0x84;   // 33 on the 14-bit scale, shifted to 16 bits
    private const int MuLawClip = 32635;  // largest magnitude before bias that still fits segment 7

    /// <summary>Encodes one sample to mu-law (G.711 Table 2a).</summary>
    public static byte EncodeMuLaw(short sample)
    {
        int sign;
        int magnitude;
        if (sample < 0)
        {
            sign = 0x80;
            magnitude = ~sample; // one's complement as in G.191: -x - 1, so -32768 stays in range
        }
        else
        {
            sign = 0;
            magnitude = sample;
        }

        if (magnitude > MuLawClip)
        {
            magnitude = MuLawClip;
        }

        magnitude += MuLawBias;
        int exponent = BitOperations.Log2((uint)magnitude >> 7);
        int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>Encodes one sample to A-law (G.711 Table 1a), with even bits inverted.</summary>
    public static byte EncodeALaw(short sample)
    {
        int magnitude = sample < 0 ? ~sample >> 4 : sample >> 4; // 0..2047
        int code;
        if (magnitude < 16)
        {
            code = magnitude;
        }
        else
        {
            int exponent = BitOperations.Log2((uint)magnitude) - 3; // 1..7
            code = (exponent << 4) | ((magnitude >> (exponent - 1)) & 0x0F);
        }

        if (sample >= 0)
        {
            code |= 0x80;
        }

        return (byte)(code ^ 0x55);
    }
}
