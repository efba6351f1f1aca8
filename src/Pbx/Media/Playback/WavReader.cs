using System.Buffers.Binary;

namespace Telephony.Pbx.Media.Playback;

/// <summary>
/// Reads RIFF/WAVE prompt files (Microsoft RIFF "WAVE" with a WAVE_FORMAT_PCM or WAVE_FORMAT_EXTENSIBLE/PCM "fmt "
/// chunk and a "data" chunk; other chunks such as LIST are skipped). Prompts must be 8 kHz mono 16-bit PCM: anything
/// else throws <see cref="WavFormatException"/> naming the file and the reason. Runs at startup, never on a media loop.
/// </summary>
public static class WavReader
{
    public const int RequiredSampleRateHz = 8000;

    /// <summary>Reads the samples of the WAV file at <paramref name="path"/>.</summary>
    public static short[] ReadPcm16Mono8k(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WavFormatException(path, $"cannot read file ({e.Message})");
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses WAV bytes; <paramref name="name"/> is used in error messages.</summary>
    public static short[] Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes[8..12].SequenceEqual("WAVE"u8))
        {
            throw new WavFormatException(name, "not a RIFF/WAVE file");
        }

        var offset = 12;
        var haveFormat = false;
        while (offset + 8 <= bytes.Length)
        {
            var id = bytes.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 4)..]);
            var body = offset + 8;
            var available = bytes.Length - body;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || size > available)
                {
                    throw new WavFormatException(name, "truncated fmt chunk");
                }

                CheckFormat(bytes.Slice(body, (int)size), name);
                haveFormat = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                {
                    throw new WavFormatException(name, "data chunk before fmt chunk");
                }

                // Tolerate a data size past the end (streamed writers) by reading what is there.
                var length = (int)Math.Min(size, (uint)available) & ~1;
                var samples = new short[length / 2];
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(body + (i * 2))..]);
                }

                return samples;
            }

            offset = body + (int)Math.Min(size + (size & 1), (uint)(bytes.Length - body)); // chunks are word-aligned
        }

        throw new WavFormatException(name, haveFormat ? "no data chunk" : "no fmt chunk");
    }

    private static void CheckFormat(ReadOnlySpan<byte> fmt, string name)
    {
        var formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        var bitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (formatTag == 0xFFFE && fmt.Length >= 26)
        {
            formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]); // sub-format GUID starts with the tag
        }

        if (formatTag != 1)
        {
            throw new WavFormatException(name, $"format tag {formatTag} is not PCM (1); convert with " +
                "'sox in.wav -r 8000 -c 1 -b 16 -e signed-integer out.wav'");
        }

        if (channels != 1 || sampleRate != RequiredSampleRateHz || bitsPerSample != 16)
        {
            throw new WavFormatException(name, $"{sampleRate} Hz, {channels} channel(s), {bitsPerSample}-bit; " +
                "prompts must be 8000 Hz mono 16-bit PCM (sox in.wav -r 8000 -c 1 -b 16 -e signed-integer out.wav)");
        }
    }
}
