using System.Buffers.Binary;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// Minimal RIFF/WAVE reader and writer for PCM16 (mono or stereo) as used by the prompts, SIPp pcaps and
/// baresip's sndfile recordings. Tolerates a data chunk whose size was never patched (recorder killed).
/// </summary>
public sealed class WavFile
{
    /// <summary>Creates a WAV from interleaved samples.</summary>
    public WavFile(int sampleRate, int channels, short[] samples)
    {
        SampleRate = sampleRate;
        Channels = channels;
        Samples = samples;
    }

    /// <summary>Samples per second.</summary>
    public int SampleRate { get; }

    /// <summary>1 or 2.</summary>
    public int Channels { get; }

    /// <summary>Interleaved PCM16 samples.</summary>
    public short[] Samples { get; }

    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => Samples.Length / (double)Channels / SampleRate;

    /// <summary>Reads a PCM16 WAV file.</summary>
    public static WavFile Read(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        if (b.Length < 12 || b[0] != 'R' || b[1] != 'I' || b[2] != 'F' || b[3] != 'F' || b[8] != 'W' || b[9] != 'A')
        {
            throw new InvalidDataException($"{path}: not a RIFF/WAVE file ({b.Length} bytes)");
        }

        int pos = 12;
        int rate = 0, channels = 0, bits = 0, format = 0;
        while (pos + 8 <= b.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(b, pos, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(pos + 4));
            int body = pos + 8;
            if (id == "fmt ")
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(body));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(body + 2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(body + 4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(body + 14));
            }
            else if (id == "data")
            {
                if (format is not (1 or 0xFFFE) || bits != 16 || channels is < 1 or > 2)
                {
                    throw new InvalidDataException($"{path}: need PCM16 mono/stereo, got format {format}, {bits} bit, {channels} ch");
                }

                long available = b.Length - body;
                int length = (int)(size == 0 || size > available ? available : size) & ~1;
                var samples = new short[length / 2];
                for (int i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(body + (2 * i)));
                }

                return new WavFile(rate, channels, samples);
            }

            pos = body + (int)Math.Min(size + (size & 1), int.MaxValue - body);
        }

        throw new InvalidDataException($"{path}: no data chunk");
    }

    /// <summary>Writes mono PCM16.</summary>
    public static void Write(string path, ReadOnlySpan<short> samples, int sampleRate = 8000)
    {
        using var fs = File.Create(path);
        Span<byte> h = stackalloc byte[44];
        int dataBytes = samples.Length * 2;
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(h[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(h[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(h[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(h[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(h[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(h[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(h[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(h[34..], 16);
        "data"u8.CopyTo(h[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(h[40..], dataBytes);
        fs.Write(h);
        byte[] buf = new byte[dataBytes];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(buf.AsSpan(2 * i), samples[i]);
        }

        fs.Write(buf);
    }

    /// <summary>The samples as mono (stereo is averaged).</summary>
    public short[] Mono()
    {
        if (Channels == 1)
        {
            return Samples;
        }

        var mono = new short[Samples.Length / 2];
        for (int i = 0; i < mono.Length; i++)
        {
            mono[i] = (short)((Samples[2 * i] + Samples[(2 * i) + 1]) / 2);
        }

        return mono;
    }
}
