using System.Threading.Channels;

namespace Telephony.Host.Recording;

/// <summary>
/// One background worker that runs database work in the order it was queued, so call-layer threads never wait on
/// SQLite and a call's rows are written in order (start, answer, end). A failing item is logged and skipped.
/// </summary>
public sealed class StorageQueue
{
    private readonly Channel<Func<Task>> _items = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _worker;
    private long _pending;

    public StorageQueue(ILogger<StorageQueue> logger)
    {
        _logger = logger;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Items queued and not finished.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public void Enqueue(Func<Task> work)
    {
        Interlocked.Increment(ref _pending);
        if (!_items.Writer.TryWrite(work))
        {
            Interlocked.Decrement(ref _pending);
            _logger.LogWarning("Storage queue closed: database work dropped");
        }
    }

    /// <summary>Waits until everything queued so far is done (or the timeout passes).</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Pending > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Stops accepting work after draining.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        await DrainAsync(timeout).ConfigureAwait(false);
        _items.Writer.TryComplete();
        await Task.WhenAny(_worker, Task.Delay(timeout)).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var work in _items.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Storage work failed");
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
