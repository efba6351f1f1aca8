namespace Telephony.Pbx.WebRtc.Stun;

/// <summary>
/// CRC-32 as ISO/IEC 13239 / ITU-T V.42 define it (reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF),
/// the one RFC 8489 §14.7 uses for FINGERPRINT. Table-driven, four bytes per step.
/// </summary>
internal static class StunCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var table = Table;
        var crc = 0xFFFFFFFFu;
        var i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            crc ^= (uint)(data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
            crc = table[(3 * 256) + (crc & 0xFF)] ^ table[(2 * 256) + ((crc >> 8) & 0xFF)]
                ^ table[256 + ((crc >> 16) & 0xFF)] ^ table[crc >> 24];
        }

        for (; i < data.Length; i++)
        {
            crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        // Slice-by-4: table k gives the CRC of a byte followed by k zero bytes.
        var table = new uint[4 * 256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        for (var n = 0; n < 256; n++)
        {
            for (var t = 1; t < 4; t++)
            {
                var previous = table[((t - 1) * 256) + n];
                table[(t * 256) + n] = table[previous & 0xFF] ^ (previous >> 8);
            }
        }

        return table;
    }
}
