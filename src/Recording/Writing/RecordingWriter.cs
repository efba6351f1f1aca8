using System.Collections.Concurrent;

namespace Telephony.Recording.Writing;

/// <summary>
/// The disk side of every <see cref="RecordingSink"/>: one or two dedicated threads, each of which drains all of its
/// sinks in turn once per <see cref="DrainInterval"/> (one larger write per sink and round) and finishes the sinks
/// being completed as soon as they ask. No work item per recording ever goes to the thread pool, where the SIP receive
/// loop and the calls' executors wait: at 1,000 recorded calls a timer per recording was thousands of pool items a
/// second, each a <c>pwrite</c>. A slow disk slows the rounds: the sinks' bounded queues then fill and drop frames
/// (counted, kept as silence), and the calls never wait.
/// </summary>
public sealed class RecordingWriter : IDisposable
{
    private readonly WriterThread[] _threads;
    private int _next;
    private int _disposed;

    /// <summary>Starts <paramref name="threadCount"/> writer threads that drain every <paramref name="drainInterval"/>.</summary>
    public RecordingWriter(TimeSpan drainInterval, int threadCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(drainInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        DrainInterval = drainInterval;
        _threads = new WriterThread[threadCount];
        for (int i = 0; i < threadCount; i++)
        {
            _threads[i] = new WriterThread(this, i);
        }
    }

    /// <summary>
    /// The process-wide writer every sink uses unless its options name another: 250 ms rounds (8 KB of PCM16 stereo
    /// per write, within the file stream's 16 KB buffer; a process kill loses at most that much audio and
    /// <see cref="WavRepair"/> fixes the header; longer rounds would hold more queued frames per call), one thread on a
    /// machine of up to 3 cores, two above.
    /// </summary>
    public static RecordingWriter Shared { get; } =
        new(TimeSpan.FromMilliseconds(250), Environment.ProcessorCount >= 4 ? 2 : 1);

    /// <summary>How often each sink's queue is written out.</summary>
    public TimeSpan DrainInterval { get; }

    /// <summary>Sinks being drained now (registered and not yet finished).</summary>
    public int ActiveSinks
    {
        get
        {
            int count = 0;
            foreach (var thread in _threads)
            {
                count += Volatile.Read(ref thread.Count);
            }

            return count;
        }
    }

    /// <summary>Stops the threads after they finish the sinks already being completed. Sinks completed later finish
    /// on the caller's thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var thread in _threads)
        {
            thread.Stop();
        }
    }

    internal bool Disposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Adds a new sink to one thread's rounds (round robin).</summary>
    internal void Register(RecordingSink sink)
    {
        if (Disposed)
        {
            return; // drained by its completion only
        }

        int index = (int)((uint)Interlocked.Increment(ref _next) % (uint)_threads.Length);
        sink.WriterSlot = index;
        _threads[index].Add(sink);
    }

    /// <summary>Asks the sink's thread for its last drain; the sink completes <see cref="RecordingSink"/>'s final drain
    /// task from that thread (or the caller's when the writer is stopped).</summary>
    internal void Finish(RecordingSink sink)
    {
        if (Disposed || sink.WriterSlot < 0)
        {
            sink.DrainFinal();
            return;
        }

        _threads[sink.WriterSlot].Finish(sink);
    }

    private sealed class WriterThread
    {
        private readonly RecordingWriter _owner;
        private readonly ConcurrentQueue<RecordingSink> _added = new();
        private readonly ConcurrentQueue<RecordingSink> _finishing = new();
        private readonly AutoResetEvent _wake = new(initialState: false);
        private readonly List<RecordingSink> _sinks = [];
        private readonly Thread _thread;
        private volatile bool _stopping;
        public int Count;

        public WriterThread(RecordingWriter owner, int index)
        {
            _owner = owner;
            _thread = new Thread(Run)
            {
                IsBackground = true,
                Name = "recording-writer-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            _thread.Start();
        }

        public void Add(RecordingSink sink)
        {
            _added.Enqueue(sink);
            Interlocked.Increment(ref Count);
        }

        public void Finish(RecordingSink sink)
        {
            _finishing.Enqueue(sink);
            _wake.Set();
            if (_stopping)
            {
                FinishPending(); // raced with Stop: whoever gets the sink first finishes it, once
            }
        }

        public void Stop()
        {
            _stopping = true;
            _wake.Set();
        }

        private void Run()
        {
            long interval = (long)_owner.DrainInterval.TotalMilliseconds;
            long nextRound = Environment.TickCount64 + interval;
            while (!_stopping)
            {
                long wait = nextRound - Environment.TickCount64;
                if (wait > 0)
                {
                    _wake.WaitOne((int)Math.Min(wait, int.MaxValue));
                }

                FinishPending();
                long now = Environment.TickCount64;
                if (now >= nextRound)
                {
                    Round();
                    // The next round is an interval after this one started, or after now when a round overran.
                    nextRound = Math.Max(nextRound + interval, now + 1);
                }
            }

            FinishPending();
        }

        private void FinishPending()
        {
            while (_finishing.TryDequeue(out var sink))
            {
                sink.DrainFinal(); // idempotent; removed from _sinks at the next round
            }
        }

        private void Round()
        {
            while (_added.TryDequeue(out var added))
            {
                _sinks.Add(added);
            }

            int kept = 0;
            for (int i = 0; i < _sinks.Count; i++)
            {
                var sink = _sinks[i];
                if (sink.DrainRound())
                {
                    _sinks[kept++] = sink;
                }
                else
                {
                    Interlocked.Decrement(ref Count);
                }

                if ((i & 63) == 63)
                {
                    FinishPending(); // a long round does not hold up completions
                }
            }

            _sinks.RemoveRange(kept, _sinks.Count - kept);
        }
    }
}
