using System.Buffers;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests.Writing;

public class PooledWriteStreamTests
{
    [Fact]
    public void Small_writes_leave_in_one_inner_write_per_flush()
    {
        var inner = new CountingStream();
        using var stream = new PooledWriteStream(inner, 1024);
        for (int i = 0; i < 10; i++)
        {
            stream.Write(Enumerable.Repeat((byte)i, 100).ToArray());
        }

        Assert.Equal(0, inner.Writes);
        Assert.Equal(1000, stream.Position);
        stream.Flush();
        Assert.Equal(1, inner.Writes);
        Assert.Equal(1000, inner.Length);
        for (int i = 0; i < 10; i++)
        {
            Assert.All(inner.ToArray().AsSpan(i * 100, 100).ToArray(), b => Assert.Equal((byte)i, b));
        }
    }

    [Fact]
    public void A_write_that_does_not_fit_flushes_first_and_a_large_one_passes_through()
    {
        var inner = new CountingStream();
        using var stream = new PooledWriteStream(inner, 256);
        stream.Write(new byte[200]);
        stream.Write(Enumerable.Repeat((byte)7, 100).ToArray()); // 300 > 256: the 200 go out first
        Assert.Equal(1, inner.Writes);
        stream.Write(Enumerable.Repeat((byte)9, 1000).ToArray()); // larger than the buffer: the 100, then the 1000 as is
        Assert.Equal(3, inner.Writes);
        Assert.Equal(1300, inner.Length);
        Assert.Equal(9, inner.ToArray()[1299]);
    }

    [Fact]
    public void Seeking_back_to_patch_a_header_and_reading_the_file_back_see_every_byte()
    {
        var inner = new CountingStream();
        using var stream = new PooledWriteStream(inner, 64);
        stream.Write("AAAA"u8);
        stream.Write("BBBBBBBB"u8);
        long end = stream.Position;
        stream.Position = 0;
        stream.Write("HH"u8);
        stream.Position = end;
        stream.Write("CC"u8);
        Assert.Equal(14, stream.Length);
        stream.Position = 0;
        var back = new byte[14];
        Assert.Equal(14, stream.Read(back));
        Assert.Equal("HHAABBBBBBBBCC"u8.ToArray(), back);
    }

    [Fact]
    public async Task The_file_can_be_hashed_through_it_as_the_sink_does_at_close()
    {
        var inner = new CountingStream();
        await using var stream = new PooledWriteStream(inner, 64);
        byte[] data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        stream.Write(data.AsSpan(0, 10));
        stream.Write(data.AsSpan(10));
        stream.Position = 0;
        byte[] hash = await System.Security.Cryptography.SHA256.HashDataAsync(stream);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(data), hash);
    }

    [Fact]
    public void A_returned_buffer_is_never_written_by_the_disposed_stream()
    {
        var inner = new CountingStream();
        var stream = new PooledWriteStream(inner, 4096);
        stream.Write("recording"u8);
        Assert.True(stream.HoldsBuffer);
        stream.Dispose();
        Assert.False(stream.HoldsBuffer);
        Assert.True(inner.Disposed);
        Assert.Equal("recording"u8.ToArray(), inner.ToArray());

        // The next recording rents the array back (same thread: the pool's thread-local slot hands out the one just
        // returned); nothing the old stream is asked to do may touch it.
        byte[] next = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            next.AsSpan().Fill(0xEE);
            Assert.Throws<ObjectDisposedException>(() => stream.Write("late"u8));
            Assert.Throws<ObjectDisposedException>(() => stream.Flush());
            Assert.Throws<ObjectDisposedException>(() => stream.Position = 0);
            stream.Dispose(); // a second dispose returns nothing twice
            Assert.All(next, b => Assert.Equal(0xEE, b));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    [Fact]
    public void Disposing_before_any_write_rents_nothing()
    {
        var stream = new PooledWriteStream(new CountingStream(), 4096);
        Assert.False(stream.HoldsBuffer);
        stream.Dispose();
        Assert.False(stream.HoldsBuffer);
    }

    [Fact]
    public async Task A_sink_writes_a_complete_file_through_it()
    {
        string folder = Directory.CreateTempSubdirectory("pooled-write-").FullName;
        try
        {
            string path = System.IO.Path.Combine(folder, "call.wav");
            var sink = RecordingSink.Create(path, RecordingFormat.Pcm16);
            short[] left = Enumerable.Range(0, 160).Select(i => (short)i).ToArray();
            short[] right = Enumerable.Range(0, 160).Select(i => (short)-i).ToArray();
            for (int i = 0; i < 50; i++)
            {
                Assert.True(sink.TryWrite(left, right));
            }

            RecordingResult result = await sink.CompleteAsync();
            byte[] file = File.ReadAllBytes(path);
            var (_, l, r) = TestFiles.ReadStereo(file);
            Assert.Equal(8000, l.Length);
            Assert.Equal(-159, r[^1]);
            Assert.Equal(file.Length, result.SizeBytes);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file)), result.Sha256);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public bool Disposed { get; private set; }

        // MemoryStream sends a subclass's span writes through this overload: one count per inner write.
        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            base.Write(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
