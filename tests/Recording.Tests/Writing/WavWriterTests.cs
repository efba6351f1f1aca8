using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests.Writing;

public class WavWriterTests
{
    [Fact]
    public void Pcm16_stereo_keeps_caller_left_and_our_side_right()
    {
        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, RecordingFormat.Pcm16, ownsStream: false))
        {
            for (int frame = 0; frame < 5; frame++)
            {
                short[] left = Enumerable.Range(0, 160).Select(i => (short)(frame * 1000 + i)).ToArray();
                short[] right = Enumerable.Range(0, 160).Select(i => (short)-(frame * 1000 + i)).ToArray();
                writer.WriteFrame(left, right);
            }

            Assert.Equal(800, writer.SampleFrames);
            Assert.Equal(TimeSpan.FromMilliseconds(100), writer.Duration);
        }

        var (info, l, r) = TestFiles.ReadStereo(stream.ToArray());
        Assert.Equal(RecordingFormat.Pcm16, info.Format);
        Assert.Equal(44, info.DataOffset);
        Assert.Equal(4, info.BlockAlign);
        Assert.Equal(-1, info.FactOffset);
        Assert.Equal(800, l.Length);
        for (int i = 0; i < 800; i++)
        {
            short expected = (short)((i / 160 * 1000) + (i % 160));
            Assert.Equal(expected, l[i]);
            Assert.Equal((short)-expected, r[i]);
        }
    }

    [Theory]
    [InlineData(RecordingFormat.MuLaw, 7, "pcmu-decode-256.s16le")]
    [InlineData(RecordingFormat.ALaw, 6, "pcma-decode-256.s16le")]
    public void G711_stereo_has_format_tag_fact_chunk_and_channel_order(RecordingFormat format, int tag, string table)
    {
        short[] levels = TestFiles.DecodeTable(table);
        short[] left = levels.Where((_, i) => i != 0x7F).ToArray();      // exact levels survive re-encoding
        short[] right = left.Reverse().ToArray();
        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, format, ownsStream: false))
        {
            writer.WriteFrame(left, right);
        }

        byte[] file = stream.ToArray();
        var (info, l, r) = TestFiles.ReadStereo(file);
        Assert.Equal(tag, info.FormatTag);
        Assert.Equal(format, info.Format);
        Assert.Equal(8, info.BitsPerSample);
        Assert.Equal(2, info.BlockAlign);
        Assert.Equal(58, info.DataOffset);
        Assert.True(info.FactOffset > 0);
        Assert.Equal(left, l);
        Assert.Equal(right, r);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(160)]
    [InlineData(165)]
    public void Interleave_puts_left_at_even_and_right_at_odd_positions(int samples)
    {
        short[] left = Enumerable.Range(0, samples).Select(i => (short)((i * 37) - 3000)).ToArray();
        short[] right = Enumerable.Range(0, samples).Select(i => (short)(short.MaxValue - (i * 91))).ToArray();
        var output = new short[2 * samples];
        WavWriter.Interleave(left, right, output);
        for (int i = 0; i < samples; i++)
        {
            Assert.Equal(left[i], output[2 * i]);
            Assert.Equal(right[i], output[(2 * i) + 1]);
        }
    }

    [Fact]
    public void Shorter_channel_is_padded_with_silence()
    {
        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, RecordingFormat.Pcm16, ownsStream: false))
        {
            writer.WriteFrame([1, 2, 3], [9]);
            writer.WriteSilence(2);
        }

        var (_, l, r) = TestFiles.ReadStereo(stream.ToArray());
        Assert.Equal(new short[] { 1, 2, 3, 0, 0 }, l);
        Assert.Equal(new short[] { 9, 0, 0, 0, 0 }, r);
    }

    [Theory]
    [InlineData(RecordingFormat.Pcm16, 3)]
    [InlineData(RecordingFormat.MuLaw, 3)]
    [InlineData(RecordingFormat.ALaw, 3)]
    [InlineData(RecordingFormat.Pcm16, 2000)] // longer than the stack buffer: padded in a rented array
    [InlineData(RecordingFormat.ALaw, 2000)]
    public void A_padded_frame_is_written_as_the_same_frame_with_explicit_silence(RecordingFormat format, int length)
    {
        var longSide = Enumerable.Range(0, length).Select(i => (short)((i * 997) % 30000 - 15000)).ToArray();
        short[] shortSide = [1234, -4321];
        short[] shortPadded = [.. shortSide, .. new short[length - shortSide.Length]];

        Assert.Equal(Bytes(format, w => w.WriteFrame(longSide, shortPadded)), Bytes(format, w => w.WriteFrame(longSide, shortSide)));
        Assert.Equal(Bytes(format, w => w.WriteFrame(shortPadded, longSide)), Bytes(format, w => w.WriteFrame(shortSide, longSide)));

        static byte[] Bytes(RecordingFormat format, Action<WavWriter> write)
        {
            var stream = new MemoryStream();
            using (var writer = new WavWriter(stream, format, ownsStream: false))
            {
                write(writer);
            }

            return stream.ToArray();
        }
    }

    [Theory]
    [InlineData(RecordingFormat.Pcm16)]
    [InlineData(RecordingFormat.MuLaw)]
    public void Sizes_are_placeholders_until_complete(RecordingFormat format)
    {
        var stream = new MemoryStream();
        var writer = new WavWriter(stream, format, ownsStream: false);
        writer.WriteFrame(new short[160], new short[160]);
        writer.Flush();

        Assert.True(WavHeader.TryRead(stream.ToArray(), out WavHeaderInfo open));
        Assert.Equal(WavHeader.Placeholder, open.DataLengthField);
        Assert.Equal(WavHeader.Placeholder, open.RiffLengthField);

        writer.Complete();
        Assert.True(WavHeader.TryRead(stream.ToArray(), out WavHeaderInfo closed));
        Assert.Equal((uint)(160 * WavHeader.BlockAlignOf(format)), closed.DataLengthField);
        Assert.Equal(stream.Length, stream.Position);
        Assert.Throws<ObjectDisposedException>(() => writer.WriteFrame([1], [1]));
    }

    [Fact]
    public void Header_reader_rejects_garbage_without_throwing()
    {
        Assert.False(WavHeader.TryRead([], out _));
        Assert.False(WavHeader.TryRead("RIFF\0\0\0\0WAVEdata\0\0\0\0"u8, out _)); // data before fmt
        Assert.False(WavHeader.TryRead("RIFF\0\0\0\0WAVEfmt \xFF\xFF\xFF\x7F"u8, out _));
        var random = new Random(5);
        byte[] buffer = new byte[64];
        for (int i = 0; i < 2000; i++)
        {
            random.NextBytes(buffer);
            "RIFF"u8.CopyTo(buffer);
            "WAVE"u8.CopyTo(buffer.AsSpan(8));
            _ = WavHeader.TryRead(buffer.AsSpan(0, random.Next(64)), out _);
        }
    }
}
