using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests.Writing;

public class WavRepairTests
{
    private static byte[] UnfinishedFile(RecordingFormat format, int frames, out short[] left, out short[] right)
    {
        left = Enumerable.Range(0, frames).Select(i => (short)(i * 64)).ToArray();
        right = Enumerable.Range(0, frames).Select(i => (short)(-i * 64 - 64)).ToArray();
        var stream = new MemoryStream();
        var writer = new WavWriter(stream, format, ownsStream: false);
        writer.WriteFrame(left, right);
        writer.Flush(); // never completed: simulates a crash
        return stream.ToArray();
    }

    [Theory]
    [InlineData(RecordingFormat.Pcm16)]
    [InlineData(RecordingFormat.MuLaw)]
    [InlineData(RecordingFormat.ALaw)]
    public void Cut_at_every_offset_is_repaired_to_the_whole_frames_before_the_cut(RecordingFormat format)
    {
        byte[] full = UnfinishedFile(format, 12, out _, out _);
        var (_, expectedLeft, expectedRight) = TestFiles.ReadStereo(Completed(full, format));
        int header = WavHeader.SizeOf(format);
        int align = WavHeader.BlockAlignOf(format);

        for (int cut = 0; cut <= full.Length; cut++)
        {
            var stream = new MemoryStream();
            stream.Write(full, 0, cut);
            WavRepairResult result = WavRepair.Repair(stream, format);

            int frames = cut < header ? 0 : (cut - header) / align;
            Assert.True(result.IsValid, $"cut {cut}");
            Assert.Equal(cut < header ? WavRepairOutcome.HeaderRebuilt : WavRepairOutcome.Repaired, result.Outcome);
            Assert.Equal(format, result.Format);
            Assert.Equal(frames * align, result.DataBytes);
            Assert.Equal(TimeSpan.FromTicks(frames * TimeSpan.TicksPerSecond / 8000), result.Duration);
            Assert.Equal(cut < header ? 0 : (cut - header) % align, result.TruncatedBytes);

            var (_, l, r) = TestFiles.ReadStereo(stream.ToArray());
            Assert.Equal(expectedLeft[..frames], l);
            Assert.Equal(expectedRight[..frames], r);
            Assert.Equal(WavRepairOutcome.AlreadyValid, WavRepair.Repair(stream, format).Outcome);
        }
    }

    [Fact]
    public void Header_cut_short_without_a_format_hint_is_left_alone()
    {
        byte[] full = UnfinishedFile(RecordingFormat.Pcm16, 4, out _, out _);
        var stream = new MemoryStream();
        stream.Write(full, 0, 30);
        Assert.Equal(WavRepairOutcome.Unrecoverable, WavRepair.Repair(stream).Outcome);
        Assert.Equal(full[..30], stream.ToArray());
    }

    [Fact]
    public void Completed_file_is_already_valid_and_untouched()
    {
        byte[] file = Completed(UnfinishedFile(RecordingFormat.MuLaw, 100, out _, out _), RecordingFormat.MuLaw);
        var stream = new MemoryStream();
        stream.Write(file);
        WavRepairResult result = WavRepair.Repair(stream);
        Assert.Equal(WavRepairOutcome.AlreadyValid, result.Outcome);
        Assert.Equal(200, result.DataBytes);
        Assert.Equal(file, stream.ToArray());
    }

    [Fact]
    public void Not_a_wav_file_is_unrecoverable_and_untouched()
    {
        byte[] junk = "this is not a recording at all, just some text"u8.ToArray();
        var stream = new MemoryStream();
        stream.Write(junk);
        Assert.Equal(WavRepairOutcome.Unrecoverable, WavRepair.Repair(stream, RecordingFormat.Pcm16).Outcome);
        Assert.Equal(junk, stream.ToArray());
    }

    [Fact]
    public void Repairs_a_file_on_disk_and_reports_a_missing_one()
    {
        using var folder = new TempFolder();
        string path = folder.File("crashed.wav");
        File.WriteAllBytes(path, UnfinishedFile(RecordingFormat.Pcm16, 8000, out _, out _)[..^3]);

        WavRepairResult result = WavRepair.Repair(path, RecordingFormat.Pcm16);
        Assert.Equal(WavRepairOutcome.Repaired, result.Outcome);
        Assert.Equal(TimeSpan.FromMilliseconds(999.875), result.Duration);
        Assert.Equal(new FileInfo(path).Length, result.FileBytes);
        Assert.Equal(WavRepairOutcome.Unrecoverable, WavRepair.Repair(folder.File("missing.wav")).Outcome);
    }

    private static byte[] Completed(byte[] unfinished, RecordingFormat format)
    {
        var stream = new MemoryStream();
        stream.Write(unfinished);
        WavRepair.Repair(stream, format);
        return stream.ToArray();
    }
}
