namespace Telephony.Pbx.Contracts.Codecs;

/// <summary>
/// ITU-T G.711 μ-law (PCMU, RFC 3551 §4.5.14) companding between 16-bit linear PCM and 8-bit code words.
/// Encoding uses a 65,536-entry table indexed by the raw sample, decoding a 256-entry table; both are built once
/// from the G.711 segment algorithm (14-bit magnitude, bias 33, code words stored inverted).
/// </summary>
public static class MuLaw
{
    private const int Bias = 0x21;   // 33, in 14-bit units
    private const int Clip = 8159;   // largest 14-bit magnitude that can be biased without overflow

    private static readonly short[] DecodeTable = BuildDecodeTable();
    private static readonly byte[] EncodeTable = BuildEncodeTable();

    /// <summary>Encodes one linear sample to a μ-law code word.</summary>
    public static byte Encode(short sample) => EncodeTable[(ushort)sample];

    /// <summary>Decodes one μ-law code word to a linear sample.</summary>
    public static short Decode(byte code) => DecodeTable[code];

    /// <summary>Encodes <paramref name="samples"/> into <paramref name="codes"/> (which must be at least as long).</summary>
    public static void Encode(ReadOnlySpan<short> samples, Span<byte> codes)
    {
        codes = codes[..samples.Length];
        var table = EncodeTable;
        for (var i = 0; i < samples.Length; i++)
        {
            codes[i] = table[(ushort)samples[i]];
        }
    }

    /// <summary>Decodes <paramref name="codes"/> into <paramref name="samples"/> (which must be at least as long).</summary>
    public static void Decode(ReadOnlySpan<byte> codes, Span<short> samples)
    {
        samples = samples[..codes.Length];
        var table = DecodeTable;
        for (var i = 0; i < codes.Length; i++)
        {
            samples[i] = table[codes[i]];
        }
    }

    /// <summary>The G.711 segment algorithm for one sample; used only to build the table.</summary>
    internal static byte EncodeSlow(short sample)
    {
        // 14-bit magnitude; negatives in one's complement as in ITU-T G.191 (so -1 encodes to negative zero).
        int value;
        int mask;
        if (sample < 0)
        {
            value = ~sample >> 2;
            mask = 0x7F;
        }
        else
        {
            value = sample >> 2;
            mask = 0xFF;
        }

        if (value > Clip)
        {
            value = Clip;
        }

        value += Bias;
        var segment = 0;
        for (var threshold = 0x3F; segment < 8 && value > threshold; segment++)
        {
            threshold = (threshold << 1) | 1;
        }

        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        var code = (segment << 4) | ((value >> (segment + 1)) & 0x0F);
        return (byte)(code ^ mask);
    }

    internal static short DecodeSlow(byte code)
    {
        int u = ~code & 0xFF;
        var t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short)((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = DecodeSlow((byte)i);
        }

        return table;
    }

    private static byte[] BuildEncodeTable()
    {
        var table = new byte[65536];
        for (var i = 0; i < 65536; i++)
        {
            table[i] = EncodeSlow((short)(ushort)i);
        }

        return table;
    }
}
