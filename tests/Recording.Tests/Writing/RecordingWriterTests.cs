using System.Collections.Concurrent;
using System.Diagnostics;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests.Writing;

public class RecordingWriterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_write_of_a_recording_runs_on_a_writer_thread_not_the_thread_pool()
    {
        using var writer = new RecordingWriter(TimeSpan.FromMilliseconds(5), threadCount: 2);
        var streams = Enumerable.Range(0, 6).Select(_ => new ThreadRecordingStream()).ToArray();
        var sinks = streams.Select(s => new RecordingSink(s, RecordingFormat.Pcm16, new RecordingSinkOptions { Writer = writer })).ToArray();
        short[] frame = new short[160];
        foreach (var sink in sinks)
        {
            for (int i = 0; i < 10; i++)
            {
                Assert.True(sink.TryWrite(frame, frame));
            }
        }

        // Rounds write without anyone completing the sinks.
        await WaitUntil(() => sinks.All(s => s.FramesWritten == 10));
        Assert.Equal(6, writer.ActiveSinks);
        foreach (var sink in sinks)
        {
            Assert.True(sink.TryWrite(frame, frame)); // left for the last drain
        }

        var results = await Task.WhenAll(sinks.Select(s => s.CompleteAsync())).WaitAsync(Bound);
        Assert.All(results, r => Assert.Equal(11, r.FramesWritten));
        Assert.All(results, r => Assert.Equal(TimeSpan.FromMilliseconds(220), r.Duration));
        await WaitUntil(() => writer.ActiveSinks == 0); // forgotten at the next round
        var frameWriters = streams.SelectMany(s => s.FrameWriterThreads).Distinct().ToArray();
        Assert.NotEmpty(frameWriters);
        Assert.All(frameWriters, name => Assert.StartsWith("recording-writer-", name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Completion_does_not_wait_for_the_next_round()
    {
        using var writer = new RecordingWriter(TimeSpan.FromHours(1)); // no round in this test's lifetime
        var stream = new MemoryStream();
        var sink = new RecordingSink(stream, RecordingFormat.Pcm16, new RecordingSinkOptions { Writer = writer }, ownsStream: false);
        short[] frame = new short[160];
        for (int i = 0; i < 25; i++)
        {
            Assert.True(sink.TryWrite(frame, frame));
        }

        var watch = Stopwatch.StartNew();
        RecordingResult result = await sink.CompleteAsync().WaitAsync(Bound);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "completion waited for a round");
        Assert.Equal(25, result.FramesWritten);
        Assert.Equal(44 + (25 * 640), result.SizeBytes);
    }

    [Fact]
    public async Task A_stopped_writer_still_completes_its_sinks_on_the_callers_thread()
    {
        var writer = new RecordingWriter(TimeSpan.FromHours(1));
        var sink = new RecordingSink(new MemoryStream(), RecordingFormat.MuLaw, new RecordingSinkOptions { Writer = writer });
        Assert.True(sink.TryWrite(new short[160], new short[160]));
        writer.Dispose();
        writer.Dispose();

        RecordingResult result = await sink.CompleteAsync().WaitAsync(Bound);
        Assert.Equal(1, result.FramesWritten);
        var late = new RecordingSink(new MemoryStream(), RecordingFormat.MuLaw, new RecordingSinkOptions { Writer = writer });
        Assert.True(late.TryWrite(new short[160], new short[160]));
        Assert.Equal(1, (await late.CompleteAsync().WaitAsync(Bound)).FramesWritten);
    }

    [Fact]
    public async Task Many_sinks_completing_while_rounds_run_each_finish_once_with_every_frame()
    {
        using var writer = new RecordingWriter(TimeSpan.FromMilliseconds(1), threadCount: 2);
        short[] frame = new short[160];
        var tasks = Enumerable.Range(0, 200).Select(n => Task.Run(async () =>
        {
            var sink = new RecordingSink(new MemoryStream(), RecordingFormat.Pcm16, new RecordingSinkOptions { Writer = writer });
            for (int i = 0; i < n % 7 + 1; i++)
            {
                Assert.True(sink.TryWrite(frame, frame));
                await Task.Yield();
            }

            var result = await sink.CompleteAsync();
            Assert.Same(sink.CompleteAsync(), sink.CompleteAsync());
            return (Expected: n % 7 + 1, Result: result);
        })).ToArray();

        foreach (var (expected, result) in await Task.WhenAll(tasks).WaitAsync(Bound))
        {
            Assert.Equal(expected, result.FramesWritten);
            Assert.Equal(0, result.DroppedFrames);
            Assert.False(result.Failed);
        }

        await WaitUntil(() => writer.ActiveSinks == 0);
    }

    [Fact]
    public void Rejects_a_zero_interval_and_no_threads()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecordingWriter(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecordingWriter(TimeSpan.FromSeconds(1), threadCount: 0));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Bound, "timed out");
            await Task.Delay(2);
        }
    }

    /// <summary>Remembers which thread wrote each batch of frames (writes after the 44-byte header).</summary>
    private sealed class ThreadRecordingStream : MemoryStream
    {
        private readonly ConcurrentBag<string> _threads = [];

        public IEnumerable<string> FrameWriterThreads => _threads;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Note();
            base.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Note();
            base.Write(buffer, offset, count);
        }

        private void Note()
        {
            if (Position >= 44)
            {
                _threads.Add(Thread.CurrentThread.Name ?? (Thread.CurrentThread.IsThreadPoolThread ? "pool" : "unnamed"));
            }
        }
    }
}
