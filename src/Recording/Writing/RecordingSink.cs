using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telephony.Recording.Writing;

/// <summary>
/// Non-blocking recording sink: the media loop's <see cref="TryWrite"/> copies each frame into a pooled
/// buffer (its own <see cref="FrameBufferPool"/>) and posts it on a bounded <see cref="Channel{T}"/>; a
/// <see cref="RecordingWriter"/> thread drains the channel into a <see cref="WavWriter"/>. When the queue is full the frame is dropped and
/// counted (the writer later fills the gap with silence so the timeline stays right); when writing fails
/// (disk full) the sink stops writing, counts every later frame as dropped and raises an alert. The call
/// is never affected. <see cref="CompleteAsync"/> patches the header and reports duration, size and SHA-256.
/// </summary>
/// <remarks>
/// Each sink has its own pool holding up to capacity + 2 buffers (queue, the writer's frame, the frame being
/// offered): it only allocates when the queue reaches a new depth, so a steady call allocates nothing per frame.
/// The writer thread drains every sink in turn once per <see cref="RecordingWriter.DrainInterval"/> rather than being
/// woken per frame, and the sink puts no work on the thread pool while it records.
/// Once completed the sink lets go of its buffers, the file stream and the pool: whoever still holds the finished sink
/// (a call record waiting for the database, a media session of a call being torn down) holds a small object only.
/// </remarks>
public sealed class RecordingSink : IPcmFrameSink, IAsyncDisposable
{
    private readonly Channel<PooledFrame> _channel;
    private static string? _lastFolder;
    private readonly RecordingFormat _format;
    private readonly int _channels;
    private FrameBufferPool? _pool; // null once completed (its free buffers go to the spares for the next sink)
    private readonly FrameSpares _spares;

    // One writer round of 20 ms frames (250 ms) and some slack: what a sink's pool grows to in a steady call.
    private const int PrefillFrames = 16;
    private WavWriter? _wav;        // null once completed
    private Stream? _stream;        // null once completed
    private readonly bool _ownsStream;
    private readonly int _maxFrameSamples;
    private readonly Action<RecordingSinkAlert>? _onAlert;
    private readonly ILogger _logger;
    private readonly RecordingWriter _writer;
    private readonly Lock _drainGate = new(); // a writer thread and, once that writer is stopped, a completing caller
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _completeLock = new();
    private bool _finished; // under _drainGate: the last drain ran
    private Task<RecordingResult>? _completion;
    private long _dropped;
    private long _gapSamples;
    private long _framesWritten;
    private int _faulted;
    private int _closed;
    private bool _queueFullAlerted;

    /// <summary>Starts a recording on <paramref name="stream"/> (readable and seekable for the close-time patch and hash).</summary>
    /// <param name="stream">Destination; disposed with the sink when <paramref name="ownsStream"/>.</param>
    /// <param name="format">Sample encoding.</param>
    /// <param name="options">Queue size, frame size limit and alert callback.</param>
    /// <param name="path">File name reported in alerts and the result.</param>
    /// <param name="logger">Logger; none by default.</param>
    /// <param name="ownsStream">Whether the sink disposes the stream.</param>
    public RecordingSink(
        Stream stream,
        RecordingFormat format,
        RecordingSinkOptions? options = null,
        string? path = null,
        ILogger? logger = null,
        bool ownsStream = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new RecordingSinkOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CapacityFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFrameSamples, 1);
        _stream = stream;
        _ownsStream = ownsStream;
        Path = path;
        _maxFrameSamples = options.MaxFrameSamples;
        _onAlert = options.OnAlert;
        _logger = logger ?? NullLogger.Instance;
        _pool = new FrameBufferPool(options.CapacityFrames + 2);
        _spares = options.Spares ?? FrameSpares.Shared;
        _pool.Prefill(_spares, PrefillFrames);
        _channel = Channel.CreateBounded<PooledFrame>(new BoundedChannelOptions(options.CapacityFrames)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then returns false instead of evicting
            AllowSynchronousContinuations = false,  // never run the writer on the media loop's thread
        });
        _wav = new WavWriter(stream, format, ownsStream: false, options.Channels);
        _format = format;
        _channels = options.Channels;
        _writer = options.Writer ?? RecordingWriter.Shared;
        _writer.Register(this);
    }

    /// <summary>Recording file, when known.</summary>
    public string? Path { get; }

    /// <summary>Sample encoding.</summary>
    public RecordingFormat Format => _format;

    /// <summary>Frames dropped so far (queue full, write failure, oversized). Safe to read from any thread.</summary>
    public long DroppedFrames => Interlocked.Read(ref _dropped);

    /// <summary>Frames written to the file so far.</summary>
    public long FramesWritten => Interlocked.Read(ref _framesWritten);

    /// <summary>Index of the writer thread that drains this sink (-1 when none does).</summary>
    internal int WriterSlot { get; set; } = -1;

    /// <summary>True once a write failed.</summary>
    public bool Faulted => Volatile.Read(ref _faulted) != 0;

    /// <summary>
    /// Creates the file (and its folder) at <paramref name="path"/> and starts recording into it.
    /// Call from a control thread, not a media loop: it opens the file and writes the header.
    /// </summary>
    public static RecordingSink Create(
        string path,
        RecordingFormat format,
        RecordingSinkOptions? options = null,
        ILogger? logger = null)
    {
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null && !string.Equals(folder, Volatile.Read(ref _lastFolder), StringComparison.Ordinal))
        {
            Directory.CreateDirectory(folder);
            Volatile.Write(ref _lastFolder, folder); // recordings of one day share a folder: one check a day, not a call
        }

        Stream stream;
        try
        {
            stream = Open(path);
        }
        catch (DirectoryNotFoundException) when (folder is not null)
        {
            Directory.CreateDirectory(folder); // removed since we last made it (a retention sweep, by hand)
            stream = Open(path);
        }

        try
        {
            return new RecordingSink(stream, format, options, path, logger);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    // 16 KB: one drain's batch (250 ms = 8 KB of PCM16 stereo) goes out in one write when the writer flushes. The
    // buffer is rented from the shared pool and returned when the file is closed (PooledWriteStream), not a new array
    // per file as a FileStream's own buffer is (bufferSize 0 = unbuffered FileStream).
    private static PooledWriteStream Open(string path) =>
        new(new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0), 16 * 1024);

    /// <inheritdoc />
    public bool TryWrite(ReadOnlySpan<short> left, ReadOnlySpan<short> right)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            return false;
        }

        if (_channels == 1)
        {
            right = default; // a mono file keeps the left (caller) samples only
        }

        int samples = Math.Max(left.Length, right.Length);
        if (Volatile.Read(ref _faulted) != 0 || samples > _maxFrameSamples)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        var pool = _pool;
        if (pool is null)
        {
            return false; // completed meanwhile
        }

        short[] buffer = pool.Rent(left.Length + right.Length);
        left.CopyTo(buffer);
        right.CopyTo(buffer.AsSpan(left.Length));
        long gap = Interlocked.Exchange(ref _gapSamples, 0);
        if (_channel.Writer.TryWrite(new PooledFrame(buffer, left.Length, right.Length, gap)))
        {
            return true;
        }

        pool.Return(buffer);
        if (Volatile.Read(ref _closed) != 0)
        {
            return false; // completed meanwhile (the call ended as this frame came): nothing was lost, nothing to report
        }

        // Queue full: keep the gap for the next frame that gets through.
        Interlocked.Add(ref _gapSamples, gap + samples);
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>
    /// Stops accepting frames, drains the queue, patches the header and hashes the file. Idempotent; never
    /// throws for I/O errors (they show as <see cref="RecordingResult.Failed"/>).
    /// </summary>
    public Task<RecordingResult> CompleteAsync()
    {
        lock (_completeLock)
        {
            return _completion ??= CompleteCoreAsync();
        }
    }

    /// <summary>Completes the recording (see <see cref="CompleteAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await CompleteAsync().ConfigureAwait(false);

    private async Task<RecordingResult> CompleteCoreAsync()
    {
        Volatile.Write(ref _closed, 1);
        _channel.Writer.TryComplete();
        _writer.Finish(this); // the writer thread drains what is left, off the thread pool
        await _drained.Task.ConfigureAwait(false);
        var wav = _wav!;
        var stream = _stream!;

        long size = -1;
        string? sha256 = null;
        try
        {
            if (!Faulted)
            {
                long gap = Interlocked.Exchange(ref _gapSamples, 0);
                if (gap > 0)
                {
                    wav.WriteSilence(gap);
                }

                wav.Complete();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            Fault(ex);
        }

        try
        {
            if (stream.CanSeek)
            {
                size = stream.Length;
            }

            if (stream.CanRead && stream.CanSeek)
            {
                stream.Position = 0;
                byte[] hash = await SHA256.HashDataAsync(stream).ConfigureAwait(false);
                sha256 = Convert.ToHexStringLower(hash);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            _logger.LogWarning(ex, "Could not hash recording {Path}", Path);
        }
        finally
        {
            if (_ownsStream)
            {
                try
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    Fault(ex);
                }
            }
        }

        var result = new RecordingResult(Path, Format, wav.Duration, size, sha256, FramesWritten, DroppedFrames, Faulted);
        // Let go of the file stream (its buffer), the writer's scratch and the pooled frames: the finished sink may
        // stay referenced for a while (a queued database write, a media session), and at 1,000 calls a second that
        // was tens of kilobytes per call for every call of the last seconds.
        _wav = null;
        _stream = null;
        // The queue is drained and the writer is done with this sink: its free frames can serve the next recording.
        Interlocked.Exchange(ref _pool, null)?.Close(_spares);
        return result;
    }

    /// <summary>One round of the writer thread: writes what is queued. False once the sink is finished (the writer
    /// forgets it).</summary>
    internal bool DrainRound()
    {
        lock (_drainGate)
        {
            if (_finished)
            {
                return false;
            }

            Drain();
            return true;
        }
    }

    /// <summary>The last drain after <see cref="CompleteAsync"/> closed the queue; releases the completion. Idempotent.</summary>
    internal void DrainFinal()
    {
        lock (_drainGate)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
#pragma warning disable CA1031 // the completion must be released whatever happens
            try
            {
                Drain();
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Recording {Path}: last drain failed", Path);
            }
#pragma warning restore CA1031
        }

        _drained.TrySetResult();
    }

    private void Drain()
    {
        ChannelReader<PooledFrame> reader = _channel.Reader;
        bool wrote = false;
        while (reader.TryRead(out PooledFrame frame))
        {
            WriteOne(frame);
            wrote = true;
        }

        if (wrote && !Faulted)
        {
            try
            {
                _wav!.Flush(); // hand the batch to the OS: survives a process kill
            }
#pragma warning disable CA1031 // see WriteOne
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fault(ex);
            }
        }

        if (!_queueFullAlerted && DroppedFrames > 0 && !Faulted)
        {
            _queueFullAlerted = true;
            _logger.LogWarning("Recording {Path} fell behind; {Dropped} frames dropped", Path, DroppedFrames);
            RaiseAlert(new RecordingSinkAlert(RecordingSinkAlertKind.QueueFull, Path, DroppedFrames, null));
        }
    }

    private void WriteOne(PooledFrame frame)
    {
        bool written = false;
        Exception? error = null;
        try
        {
            if (!Faulted)
            {
                if (frame.GapSamplesBefore > 0)
                {
                    _wav!.WriteSilence(frame.GapSamplesBefore);
                }

                ReadOnlySpan<short> samples = frame.Buffer;
                _wav!.WriteFrame(samples[..frame.LeftLength], samples.Slice(frame.LeftLength, frame.RightLength));
                written = true;
            }
        }
#pragma warning disable CA1031 // any write error (disk full, I/O, closed stream) stops recording, never the call
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
        }

        // Back to the pool before the counters move, so whoever watches them sees the buffer free.
        _pool?.Return(frame.Buffer);
        Interlocked.Increment(ref written ? ref _framesWritten : ref _dropped);
        if (error is not null)
        {
            Fault(error);
        }
    }

    private void Fault(Exception error)
    {
        if (Interlocked.Exchange(ref _faulted, 1) != 0)
        {
            return;
        }

        _logger.LogError(error, "Recording {Path} failed; the rest of the call is not recorded", Path);
        RaiseAlert(new RecordingSinkAlert(RecordingSinkAlertKind.WriteFailed, Path, DroppedFrames, error));
    }

    private void RaiseAlert(RecordingSinkAlert alert)
    {
        try
        {
            _onAlert?.Invoke(alert);
        }
#pragma warning disable CA1031 // a faulty alert callback must not take the writer down
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "Recording alert callback failed");
        }
    }

    private readonly record struct PooledFrame(short[] Buffer, int LeftLength, int RightLength, long GapSamplesBefore);
}
