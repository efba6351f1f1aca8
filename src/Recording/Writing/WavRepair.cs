using System.Buffers.Binary;

namespace Telephony.Recording.Writing;

/// <summary>
/// Fixes a recording left unfinished by a crash: the RIFF, <c>fact</c> and <c>data</c> sizes still hold
/// placeholders (or stale values), so they are recomputed from the file length, cutting off a partial
/// trailing sample frame. Layout per <see cref="WavHeader"/> (RIFF WAVE, data chunk last).
/// </summary>
public static class WavRepair
{
    private const int ProbeLength = 4096;

    /// <summary>Repairs the file at <paramref name="path"/> in place; a missing file is unrecoverable.</summary>
    /// <param name="path">Recording file.</param>
    /// <param name="expectedFormat">Format the file was started with; lets a header cut short be rebuilt.</param>
    /// <param name="expectedChannels">Channels the file was started with (2: call recording, 1: voicemail message).</param>
    public static WavRepairResult Repair(string path, RecordingFormat? expectedFormat = null, int expectedChannels = WavHeader.Channels)
    {
        if (!File.Exists(path))
        {
            return Unrecoverable(0);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        return Repair(stream, expectedFormat, expectedChannels);
    }

    /// <summary>Repairs a readable, writable, seekable stream holding a recording.</summary>
    public static WavRepairResult Repair(Stream stream, RecordingFormat? expectedFormat = null, int expectedChannels = WavHeader.Channels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long length = stream.Length;
        byte[] probe = new byte[(int)Math.Min(length, ProbeLength)];
        stream.Position = 0;
        stream.ReadExactly(probe);

        if (!WavHeader.TryRead(probe, out WavHeaderInfo info))
        {
            return RebuildHeader(stream, probe, expectedFormat, expectedChannels);
        }

        long available = length - info.DataOffset;
        long aligned = Math.Min(available - available % info.BlockAlign, uint.MaxValue - info.DataOffset);
        aligned -= aligned % info.BlockAlign;
        long fileBytes = info.DataOffset + aligned;
        uint riff = (uint)(fileBytes - 8);
        uint frames = (uint)(aligned / info.BlockAlign);
        bool factOk = info.FactOffset < 0
            || BinaryPrimitives.ReadUInt32LittleEndian(probe.AsSpan(info.FactOffset)) == frames;
        TimeSpan duration = info.SampleRateHz > 0
            ? TimeSpan.FromTicks(frames * TimeSpan.TicksPerSecond / info.SampleRateHz)
            : TimeSpan.Zero;

        if (length == fileBytes && info.DataLengthField == aligned && info.RiffLengthField == riff && factOk)
        {
            return new WavRepairResult(WavRepairOutcome.AlreadyValid, info.Format, aligned, duration, length, 0);
        }

        if (length > fileBytes)
        {
            stream.SetLength(fileBytes);
        }

        Span<byte> field = stackalloc byte[4];
        WriteField(stream, 4, riff, field);
        if (info.FactOffset >= 0)
        {
            WriteField(stream, info.FactOffset, frames, field);
        }

        WriteField(stream, info.DataOffset - 4, (uint)aligned, field);
        stream.Flush();
        return new WavRepairResult(WavRepairOutcome.Repaired, info.Format, aligned, duration, fileBytes, length - fileBytes);
    }

    private static WavRepairResult RebuildHeader(Stream stream, byte[] probe, RecordingFormat? expectedFormat, int channels)
    {
        // Only a header that was cut short before it was complete (so no audio follows) is rebuilt:
        // anything longer that still does not parse is not ours to overwrite.
        if (expectedFormat is not { } format || probe.Length >= WavHeader.SizeOf(format))
        {
            return Unrecoverable(probe.Length);
        }

        Span<byte> header = stackalloc byte[64];
        int size = WavHeader.Write(header, format, dataLength: 0, channels);
        Span<byte> placeholder = stackalloc byte[64];
        WavHeader.Write(placeholder, format, dataLength: null, channels);
        if (!placeholder[..probe.Length].SequenceEqual(probe) && !header[..probe.Length].SequenceEqual(probe))
        {
            return Unrecoverable(probe.Length);
        }

        stream.Position = 0;
        stream.Write(header[..size]);
        stream.SetLength(size);
        stream.Flush();
        return new WavRepairResult(WavRepairOutcome.HeaderRebuilt, format, 0, TimeSpan.Zero, size, 0);
    }

    private static void WriteField(Stream stream, long offset, uint value, Span<byte> scratch)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, value);
        stream.Position = offset;
        stream.Write(scratch);
    }

    private static WavRepairResult Unrecoverable(long length) =>
        new(WavRepairOutcome.Unrecoverable, null, 0, TimeSpan.Zero, length, 0);
}
