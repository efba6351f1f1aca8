using System.Buffers.Binary;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests.Writing;

/// <summary>Mono files (voicemail messages): the caller's samples only, the same crash repair as call recordings.</summary>
public class MonoWavTests
{
    [Theory]
    [InlineData(RecordingFormat.Pcm16, 2)]
    [InlineData(RecordingFormat.MuLaw, 1)]
    [InlineData(RecordingFormat.ALaw, 1)]
    public void Mono_writer_keeps_only_the_left_samples(RecordingFormat format, int blockAlign)
    {
        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, format, ownsStream: false, channels: 1))
        {
            writer.WriteFrame(Enumerable.Range(0, 160).Select(i => (short)(i * 100)).ToArray(), new short[160]);
            writer.WriteSilence(80);
            Assert.Equal(240, writer.SampleFrames);
            Assert.Equal(TimeSpan.FromMilliseconds(30), writer.Duration);
        }

        byte[] file = stream.ToArray();
        Assert.True(WavHeader.TryRead(file, out WavHeaderInfo info));
        Assert.Equal(1, info.Channels);
        Assert.Equal(blockAlign, info.BlockAlign);
        Assert.Equal(format, info.Format);
        Assert.Equal((uint)(240 * blockAlign), info.DataLengthField);
        Assert.Equal((uint)(file.Length - 8), info.RiffLengthField);
        Assert.Equal(8000 * blockAlign, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(28))); // byte rate
        if (format == RecordingFormat.Pcm16)
        {
            Assert.Equal(100 * 7, BinaryPrimitives.ReadInt16LittleEndian(file.AsSpan(info.DataOffset + 14)));
        }
    }

    [Theory]
    [InlineData(RecordingFormat.Pcm16)]
    [InlineData(RecordingFormat.MuLaw)]
    public void Unfinished_mono_file_cut_anywhere_is_repaired(RecordingFormat format)
    {
        var stream = new MemoryStream();
        var writer = new WavWriter(stream, format, ownsStream: false, channels: 1);
        writer.WriteFrame(Enumerable.Range(0, 50).Select(i => (short)(i * 64)).ToArray(), []);
        writer.Flush(); // never completed: a crash
        byte[] full = stream.ToArray();
        int header = WavHeader.SizeOf(format);
        int align = WavHeader.BlockAlignOf(format, 1);
        for (int cut = 0; cut <= full.Length; cut++)
        {
            var copy = new MemoryStream();
            copy.Write(full, 0, cut);
            WavRepairResult result = WavRepair.Repair(copy, format, expectedChannels: 1);
            Assert.True(result.IsValid, $"cut {cut}");
            int frames = cut < header ? 0 : (cut - header) / align;
            Assert.Equal(frames * align, result.DataBytes);
            Assert.True(WavHeader.TryRead(copy.ToArray(), out WavHeaderInfo info));
            Assert.Equal(1, info.Channels);
            Assert.Equal((uint)(frames * align), info.DataLengthField);
        }
    }

    [Fact]
    public async Task Mono_sink_writes_the_left_frames_and_drops_the_right()
    {
        var stream = new MemoryStream();
        var sink = new RecordingSink(stream, RecordingFormat.Pcm16, new RecordingSinkOptions { Channels = 1 }, ownsStream: false);
        short[] caller = Enumerable.Range(0, 160).Select(i => (short)i).ToArray();
        for (int i = 0; i < 10; i++)
        {
            Assert.True(sink.TryWrite(caller, new short[160]));
        }

        RecordingResult result = await sink.CompleteAsync();
        Assert.Equal(TimeSpan.FromMilliseconds(200), result.Duration);
        Assert.Equal(44 + (1600 * 2), result.SizeBytes);
        Assert.True(WavHeader.TryRead(stream.ToArray(), out WavHeaderInfo info));
        Assert.Equal(1, info.Channels);
    }
}
