namespace Telephony.Pbx.Contracts.Codecs;

/// <summary>
/// ITU-T G.711 A-law (PCMA, RFC 3551 §4.5.14) companding between 16-bit linear PCM and 8-bit code words.
/// Encoding uses a 65,536-entry table indexed by the raw sample, decoding a 256-entry table; both are built once
/// from the G.711 segment algorithm (13-bit magnitude, even bits inverted with 0x55).
/// </summary>
public static class ALaw
{
    private static readonly short[] DecodeTable = BuildDecodeTable();
    private static readonly byte[] EncodeTable = BuildEncodeTable();

    /// <summary>Encodes one linear sample to an A-law code word.</summary>
    public static byte Encode(short sample) => EncodeTable[(ushort)sample];

    /// <summary>Decodes one A-law code word to a linear sample.</summary>
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
        int value = sample >> 3; // 13-bit
        int mask;
        if (value >= 0)
        {
            mask = 0xD5; // sign bit set, even bits inverted
        }
        else
        {
            mask = 0x55;
            value = -value - 1;
        }

        var segment = 0;
        for (var threshold = 0x1F; segment < 8 && value > threshold; segment++)
        {
            threshold = (threshold << 1) | 1;
        }

        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        var code = segment << 4;
        code |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return (byte)(code ^ mask);
    }

    internal static short DecodeSlow(byte code)
    {
        int a = code ^ 0x55;
        var t = (a & 0x0F) << 4;
        var segment = (a & 0x70) >> 4;
        t = segment switch
        {
            0 => t + 8,
            1 => t + 0x108,
            _ => (t + 0x108) << (segment - 1),
        };
        return (short)((a & 0x80) != 0 ? t : -t);
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
