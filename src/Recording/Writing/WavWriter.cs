using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Telephony.Pbx.Contracts.Codecs;

namespace Telephony.Recording.Writing;

/// <summary>
/// Writes an 8 kHz RIFF WAVE recording in PCM16 or G.711 (see <see cref="WavHeader"/> for the layout): stereo for
/// calls (caller left, our side right), mono for voicemail messages (the caller only). Crash-safe by construction: the header goes out
/// first with placeholder sizes, audio is appended, and <see cref="Complete"/> patches the sizes;
/// a file cut short at any point is fixed by <see cref="WavRepair"/>.
/// </summary>
/// <remarks>Not thread-safe: one writer thread (the <see cref="RecordingSink"/> background task).</remarks>
public sealed class WavWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly int _blockAlign;
    private byte[] _scratch;
    private bool _completed;

    /// <summary>Starts a recording on <paramref name="stream"/> (seekable for the close-time patch) and writes the header;
    /// <paramref name="channels"/> is 2 (stereo call recording) or 1 (mono: only the left samples are written).</summary>
    public WavWriter(Stream stream, RecordingFormat format, bool ownsStream = true, int channels = WavHeader.Channels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 2);

        _stream = stream;
        _ownsStream = ownsStream;
        Format = format;
        Channels = channels;
        _blockAlign = WavHeader.BlockAlignOf(format, channels);
        HeaderLength = WavHeader.SizeOf(format);
        _scratch = new byte[320 * _blockAlign];
        Span<byte> header = stackalloc byte[64];
        int written = WavHeader.Write(header, format, dataLength: null, channels);
        _stream.Write(header[..written]);
    }

    /// <summary>Sample encoding of the file.</summary>
    public RecordingFormat Format { get; }

    /// <summary>1 (mono) or 2 (stereo).</summary>
    public int Channels { get; }

    /// <summary>Bytes before the first audio byte.</summary>
    public int HeaderLength { get; }

    /// <summary>Sample frames (one sample per channel) written so far.</summary>
    public long SampleFrames { get; private set; }

    /// <summary>Audio bytes written so far.</summary>
    public long DataBytes => SampleFrames * _blockAlign;

    /// <summary>Audio duration written so far.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(SampleFrames * TimeSpan.TicksPerSecond / WavHeader.SampleRateHz);

    /// <summary>
    /// Appends one frame: <paramref name="left"/> (caller) and <paramref name="right"/> (our side) are mono
    /// 8 kHz linear samples; the shorter one is padded with silence. A mono file takes <paramref name="left"/> only.
    /// </summary>
    public void WriteFrame(ReadOnlySpan<short> left, ReadOnlySpan<short> right)
    {
        ThrowIfCompleted();
        if (Channels == 1)
        {
            WriteMono(left);
            return;
        }

        int frames = Math.Max(left.Length, right.Length);
        if (frames == 0)
        {
            return;
        }

        if (left.Length != right.Length)
        {
            // The rare frame whose two sides differ in length (a side that sent nothing this round): the shorter side is
            // padded with silence, then written like any other frame.
            short[]? rented = null;
            Span<short> padded = frames <= 1024
                ? stackalloc short[frames]
                : (rented = ArrayPool<short>.Shared.Rent(frames)).AsSpan(0, frames);
            var shorter = left.Length < right.Length ? left : right;
            shorter.CopyTo(padded);
            padded[shorter.Length..].Clear();
            if (left.Length < right.Length)
            {
                WriteStereo(padded, right);
            }
            else
            {
                WriteStereo(left, padded);
            }

            if (rented is not null)
            {
                ArrayPool<short>.Shared.Return(rented);
            }

            return;
        }

        WriteStereo(left, right);
    }

    /// <summary>Two sides of the same length, interleaved in one pass per format (every 20 ms frame of every recorded call).</summary>
    private void WriteStereo(ReadOnlySpan<short> left, ReadOnlySpan<short> right)
    {
        int frames = left.Length;
        Span<byte> buffer = Scratch(frames * _blockAlign);
        if (Format == RecordingFormat.Pcm16)
        {
            // Caller (left) and our side (right) as little-endian 16-bit samples.
            Span<short> interleaved = MemoryMarshal.Cast<byte, short>(buffer);
            Interleave(left, right, interleaved);

            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(interleaved, interleaved);
            }
        }
        else if (Format == RecordingFormat.MuLaw)
        {
            for (int i = 0; i < frames; i++)
            {
                buffer[2 * i] = MuLaw.Encode(left[i]);
                buffer[(2 * i) + 1] = MuLaw.Encode(right[i]);
            }
        }
        else
        {
            for (int i = 0; i < frames; i++)
            {
                buffer[2 * i] = ALaw.Encode(left[i]);
                buffer[(2 * i) + 1] = ALaw.Encode(right[i]);
            }
        }

        _stream.Write(buffer);
        SampleFrames += frames;
    }

    /// <summary>Appends <paramref name="frames"/> sample frames of silence (keeps the timeline when frames were dropped).</summary>
    public void WriteSilence(long frames)
    {
        ThrowIfCompleted();
        byte silence = Format switch
        {
            RecordingFormat.MuLaw => MuLaw.Encode(0),
            RecordingFormat.ALaw => ALaw.Encode(0),
            _ => 0,
        };
        while (frames > 0)
        {
            int chunk = (int)Math.Min(frames, 1600);
            Span<byte> buffer = Scratch(chunk * _blockAlign);
            buffer.Fill(silence);
            _stream.Write(buffer);
            SampleFrames += chunk;
            frames -= chunk;
        }
    }

    private void WriteMono(ReadOnlySpan<short> samples)
    {
        if (samples.Length == 0)
        {
            return;
        }

        Span<byte> buffer = Scratch(samples.Length * _blockAlign);
        switch (Format)
        {
            case RecordingFormat.Pcm16:
                Span<short> pcm = MemoryMarshal.Cast<byte, short>(buffer);
                samples.CopyTo(pcm);
                if (!BitConverter.IsLittleEndian)
                {
                    BinaryPrimitives.ReverseEndianness(pcm, pcm);
                }

                break;
            case RecordingFormat.MuLaw:
                MuLaw.Encode(samples, buffer);
                break;
            default:
                ALaw.Encode(samples, buffer);
                break;
        }

        _stream.Write(buffer);
        SampleFrames += samples.Length;
    }

    /// <summary>Pushes buffered audio to the operating system (survives a process kill, not a power cut).</summary>
    public void Flush() => _stream.Flush();

    /// <summary>Patches the RIFF, <c>fact</c> and <c>data</c> sizes and flushes. Idempotent.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _stream.Flush();
        if (_stream.CanSeek)
        {
            long end = _stream.Position;
            Span<byte> header = stackalloc byte[64];
            int written = WavHeader.Write(header, Format, (uint)Math.Min(DataBytes, uint.MaxValue - 64), Channels);
            _stream.Position = 0;
            _stream.Write(header[..written]);
            _stream.Position = end;
            _stream.Flush();
        }

        _completed = true;
    }

    /// <summary>Completes the file if still open, then releases the stream when owned.</summary>
    public void Dispose()
    {
        try
        {
            Complete();
        }
        finally
        {
            if (_ownsStream)
            {
                _stream.Dispose();
            }
        }
    }

    /// <summary>
    /// <paramref name="output"/>[2i] = <paramref name="left"/>[i], [2i + 1] = <paramref name="right"/>[i]; eight pairs at a
    /// time with SSE2 or AdvSimd unpack/zip where the CPU has them.
    /// </summary>
    internal static void Interleave(ReadOnlySpan<short> left, ReadOnlySpan<short> right, Span<short> output)
    {
        int n = left.Length;
        if (right.Length != n || output.Length < 2 * n)
        {
            throw new ArgumentException("left and right must be as long, the output twice as long");
        }

        int i = 0;
        if (Vector128.IsHardwareAccelerated && (Sse2.IsSupported || AdvSimd.Arm64.IsSupported))
        {
            ref short l = ref MemoryMarshal.GetReference(left);
            ref short r = ref MemoryMarshal.GetReference(right);
            ref short o = ref MemoryMarshal.GetReference(output);
            for (; i <= n - 8; i += 8)
            {
                var a = Vector128.LoadUnsafe(ref l, (nuint)i);
                var b = Vector128.LoadUnsafe(ref r, (nuint)i);
                (Vector128<short> low, Vector128<short> high) = Sse2.IsSupported
                    ? (Sse2.UnpackLow(a, b), Sse2.UnpackHigh(a, b))
                    : (AdvSimd.Arm64.ZipLow(a, b), AdvSimd.Arm64.ZipHigh(a, b));
                low.StoreUnsafe(ref o, (nuint)(2 * i));
                high.StoreUnsafe(ref o, (nuint)((2 * i) + 8));
            }
        }

        for (; i < n; i++)
        {
            output[2 * i] = left[i];
            output[(2 * i) + 1] = right[i];
        }
    }

    private Span<byte> Scratch(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new byte[length];
        }

        return _scratch.AsSpan(0, length);
    }

    private void ThrowIfCompleted() => ObjectDisposedException.ThrowIf(_completed, this);
}
