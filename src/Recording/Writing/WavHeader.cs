using System.Buffers.Binary;

namespace Telephony.Recording.Writing;

/// <summary>
/// RIFF WAVE header for the recordings this module writes (Microsoft/IBM RIFF spec 1991, "WAVE" form;
/// non-PCM formats per the 1994 update: 18-byte <c>fmt </c> with <c>cbSize</c> plus a <c>fact</c> chunk).
/// </summary>
/// <remarks>
/// Layout, all little endian. PCM16 (44 bytes):
/// <code>
/// 0  "RIFF" riffSize "WAVE"
/// 12 "fmt " 16  tag=1 ch=2 rate=8000 byteRate=32000 align=4 bits=16
/// 36 "data" dataSize
/// </code>
/// G.711 (58 bytes):
/// <code>
/// 0  "RIFF" riffSize "WAVE"
/// 12 "fmt " 18  tag=6|7 ch=2 rate=8000 byteRate=16000 align=2 bits=8 cbSize=0
/// 38 "fact" 4 sampleFrames
/// 50 "data" dataSize
/// </code>
/// While a file is being written the size fields hold <see cref="Placeholder"/>, the value streaming
/// WAVE writers use for "unknown length"; <see cref="WavWriter"/> patches them on close and
/// <see cref="WavRepair"/> after a crash.
/// </remarks>
public static class WavHeader
{
    /// <summary>Size value written while the length is not known yet.</summary>
    public const uint Placeholder = 0xFFFF_FFFF;

    /// <summary>Sample rate of every recording [Hz].</summary>
    public const int SampleRateHz = 8000;

    /// <summary>Channels of a call recording: 0 = caller (left), 1 = our side (right). Voicemail messages are mono (1).</summary>
    public const int Channels = 2;

    /// <summary>Header size for a format [bytes].</summary>
    public static int SizeOf(RecordingFormat format) => format == RecordingFormat.Pcm16 ? 44 : 58;

    /// <summary>Bytes per sample frame (one sample of every channel) for a format and channel count.</summary>
    public static int BlockAlignOf(RecordingFormat format, int channels = Channels) =>
        (format == RecordingFormat.Pcm16 ? 2 : 1) * channels;

    /// <summary>
    /// Writes the header into <paramref name="destination"/> (at least <see cref="SizeOf"/> bytes) with the
    /// given data length, or placeholders when <paramref name="dataLength"/> is null, for <paramref name="channels"/>
    /// channels (1 or 2). Returns bytes written.
    /// </summary>
    public static int Write(Span<byte> destination, RecordingFormat format, uint? dataLength, int channels = Channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 2);
        int size = SizeOf(format);
        if (destination.Length < size)
        {
            throw new ArgumentException($"Need {size} bytes for the header.", nameof(destination));
        }

        int align = BlockAlignOf(format, channels);
        bool pcm = format == RecordingFormat.Pcm16;
        uint data = dataLength ?? Placeholder;
        uint riff = dataLength is { } d ? (uint)(size - 8) + d : Placeholder;

        Ascii(destination, 0, "RIFF");
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], riff);
        Ascii(destination, 8, "WAVE");
        Ascii(destination, 12, "fmt ");
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], pcm ? 16u : 18u);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[20..], (ushort)format);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], SampleRateHz);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], (uint)(SampleRateHz * align));
        BinaryPrimitives.WriteUInt16LittleEndian(destination[32..], (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[34..], (ushort)(pcm ? 16 : 8));
        int offset = 36;
        if (!pcm)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[36..], 0); // cbSize
            Ascii(destination, 38, "fact");
            BinaryPrimitives.WriteUInt32LittleEndian(destination[42..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[46..], dataLength is { } f ? f / (uint)align : Placeholder);
            offset = 50;
        }

        Ascii(destination, offset, "data");
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(offset + 4)..], data);
        return size;
    }

    /// <summary>
    /// Reads a RIFF WAVE header: walks the chunks after "WAVE" until the <c>data</c> chunk. Returns false
    /// (never throws) when the bytes are not a complete header with a <c>fmt </c> chunk before <c>data</c>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out WavHeaderInfo info)
    {
        info = default;
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes[8..12].SequenceEqual("WAVE"u8))
        {
            return false;
        }

        uint riff = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        int offset = 12;
        bool haveFormat = false;
        ushort tag = 0;
        int channels = 0, rate = 0, align = 0, bits = 0, factOffset = -1;
        while (offset + 8 <= bytes.Length)
        {
            ReadOnlySpan<byte> id = bytes.Slice(offset, 4);
            uint chunkSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 4)..]);
            int body = offset + 8;
            if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                {
                    return false;
                }

                info = new WavHeaderInfo(tag, channels, rate, align, bits, body, chunkSize, riff, factOffset);
                return true;
            }

            if (chunkSize > int.MaxValue - body - 1)
            {
                return false;
            }

            if (id.SequenceEqual("fmt "u8))
            {
                if (chunkSize < 16 || body + 16 > bytes.Length)
                {
                    return false;
                }

                tag = BinaryPrimitives.ReadUInt16LittleEndian(bytes[body..]);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(body + 2)..]);
                rate = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(bytes[(body + 4)..]));
                align = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(body + 12)..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(body + 14)..]);
                haveFormat = align > 0;
            }
            else if (id.SequenceEqual("fact"u8) && chunkSize >= 4)
            {
                factOffset = body;
            }

            offset = body + (int)chunkSize + (int)(chunkSize & 1); // chunks are word aligned
        }

        return false;
    }

    private static void Ascii(Span<byte> destination, int offset, string fourCc)
    {
        for (int i = 0; i < 4; i++)
        {
            destination[offset + i] = (byte)fourCc[i];
        }
    }
}
