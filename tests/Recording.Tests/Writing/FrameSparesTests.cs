using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests.Writing;

public class FrameSparesTests
{
    [Fact]
    public void A_closed_pool_hands_its_free_frames_to_the_next_pool()
    {
        var spares = new FrameSpares(64);
        var first = new FrameBufferPool(20);
        short[] a = first.Rent(320), b = first.Rent(320);
        first.Return(a);
        first.Return(b);
        first.Close(spares);
        Assert.Equal(2, spares.Count);
        Assert.Equal(0, first.Count);

        var next = new FrameBufferPool(20);
        next.Prefill(spares, 16);
        Assert.Equal(0, spares.Count);
        var rented = new[] { next.Rent(320), next.Rent(320) };
        Assert.Contains(a, rented);
        Assert.Contains(b, rented);
    }

    [Fact]
    public void A_frame_returned_after_the_close_is_dropped_never_handed_on()
    {
        var spares = new FrameSpares(64);
        var old = new FrameBufferPool(20);
        short[] kept = old.Rent(320);
        short[] inFlight = old.Rent(320); // the media loop still fills this one when the sink completes
        old.Return(kept);
        old.Close(spares);
        old.Return(inFlight); // the late return of the old call
        Assert.Equal(0, old.Count);
        Assert.Equal(1, spares.Count);

        var next = new FrameBufferPool(20);
        next.Prefill(spares, 16);
        Assert.Same(kept, next.Rent(320));
        Assert.NotSame(inFlight, next.Rent(320)); // allocated: the old call's frame is not in anyone's pool
    }

    [Fact]
    public void A_rent_after_the_close_allocates_instead_of_taking_a_spare()
    {
        var spares = new FrameSpares(64);
        var old = new FrameBufferPool(20);
        short[] frame = old.Rent(320);
        old.Return(frame);
        old.Close(spares);
        short[] late = old.Rent(320);
        Assert.NotSame(frame, late);
        old.Return(late);
        Assert.Equal(1, spares.Count); // only the frame that was free at the close
        old.Close(spares); // a second close gives nothing twice
        Assert.Equal(1, spares.Count);
    }

    [Fact]
    public void Spares_too_small_for_the_frame_are_dropped_and_the_pool_settles_at_zero_allocations()
    {
        var spares = new FrameSpares(64);
        spares.Give(Enumerable.Range(0, 16).Select(_ => new short[160]).ToArray()); // a mono recording's frames
        var pool = new FrameBufferPool(20);
        pool.Prefill(spares, 16);
        var rented = new short[18][];
        for (int round = 0; round < 5; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < rented.Length; i++)
            {
                rented[i] = pool.Rent(320);
                Assert.True(rented[i].Length >= 320);
            }

            foreach (var frame in rented)
            {
                pool.Return(frame);
            }

            if (round >= 2)
            {
                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        }
    }

    [Fact]
    public void Spares_keep_one_length_and_at_most_their_capacity()
    {
        var spares = new FrameSpares(3);
        spares.Give(new[] { new short[320], new short[320] });
        spares.Give(new[] { new short[160] }); // another length while 320s are held: dropped
        Assert.Equal(2, spares.Count);
        spares.Give(new[] { new short[320], new short[320], new short[320] });
        Assert.Equal(3, spares.Count);
        var taken = new short[8][];
        Assert.Equal(3, spares.Take(taken));
        Assert.All(taken.Take(3), t => Assert.Equal(320, t.Length));
    }

    [Fact]
    public async Task Sinks_one_after_the_other_reuse_frames_and_each_file_has_only_its_own_audio()
    {
        var spares = new FrameSpares(256);
        using var writer = new RecordingWriter(TimeSpan.FromMilliseconds(5));
        string folder = Directory.CreateTempSubdirectory("frame-spares-").FullName;
        try
        {
            for (int call = 1; call <= 3; call++)
            {
                string path = Path.Combine(folder, $"call{call}.wav");
                var sink = RecordingSink.Create(path, RecordingFormat.Pcm16, new RecordingSinkOptions { Writer = writer, Spares = spares });
                short[] left = Enumerable.Repeat((short)(call * 100), 160).ToArray();
                short[] right = Enumerable.Repeat((short)-(call * 100), 160).ToArray();
                for (int i = 0; i < 100; i++)
                {
                    Assert.True(sink.TryWrite(left, right));
                    if (i % 10 == 9)
                    {
                        await Task.Delay(10); // let the writer drain: frames go back to the sink's pool
                    }
                }

                await sink.CompleteAsync();
                Assert.False(sink.TryWrite(left, right)); // the old call's late frame is refused
                Assert.True(spares.Count > 0);
                var (_, l, r) = TestFiles.ReadStereo(File.ReadAllBytes(path));
                Assert.Equal(16000, l.Length);
                Assert.All(l, s => Assert.Equal((short)(call * 100), s));
                Assert.All(r, s => Assert.Equal((short)-(call * 100), s));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
