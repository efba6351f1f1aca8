using System.Threading.Channels;
using Telephony.Recording.Storage;

namespace Telephony.Host.Recording;

/// <summary>
/// One background worker that runs database work in the order it was queued, so call-layer threads never wait on
/// SQLite and a call's rows are written in order (start, answer, end). A failing item is logged and skipped.
/// Work queued with <see cref="EnqueueBatched"/> (the per-call writes: a call's record, its events, its recording) runs
/// in write batches: the items queued back to back for the same database, up to <see cref="MaxBatch"/>, in one
/// transaction (<see cref="Database.BeginWriteBatchAsync"/>). When any of them fails, or the commit does, the batch is
/// rolled back and its items run again one by one, each in its own transaction as before, so one bad item costs only
/// itself and no other write is lost.
/// </summary>
public sealed class StorageQueue
{
    /// <summary>The most items one write batch takes.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Item> _items = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<Item> _run = new(MaxBatch);
    private readonly ILogger _logger;
    private readonly EventNotifier? _notifier;
    private readonly Task _worker;
    private long _pending;
    private long _batches;
    private long _batchedItems;
    private long _batchFallbacks;

    /// <summary>A queue whose committed write batches wake <paramref name="notifier"/>'s live readers (the items'
    /// own wake-ups came before their rows were visible to other connections).</summary>
    public StorageQueue(ILogger<StorageQueue> logger, EventNotifier? notifier = null)
    {
        _logger = logger;
        _notifier = notifier;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Items queued and not finished.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Write batches committed, the items they carried, and batches rolled back and run item by item.</summary>
    public (long Batches, long Items, long Fallbacks) BatchCounts =>
        (Interlocked.Read(ref _batches), Interlocked.Read(ref _batchedItems), Interlocked.Read(ref _batchFallbacks));

    /// <summary>Queues <paramref name="work"/> to run on its own.</summary>
    public void Enqueue(Func<Task> work) => Write(new Item(work, null));

    /// <summary>
    /// Queues <paramref name="work"/>, which writes to <paramref name="database"/> only through
    /// <see cref="Database.OpenWriteAsync"/> (anything else it opened would wait on the batch's write lock), to run in a
    /// write batch with the items next to it.
    /// </summary>
    public void EnqueueBatched(Database database, Func<Task> work) =>
        Write(new Item(work, database.SupportsWriteBatches ? database : null));

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

    private void Write(Item item)
    {
        Interlocked.Increment(ref _pending);
        if (!_items.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _pending);
            _logger.LogWarning("Storage queue closed: database work dropped");
        }
    }

    private async Task RunAsync()
    {
        var reader = _items.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                if (item.Batch is not { } database)
                {
                    await RunOneAsync(item).ConfigureAwait(false);
                    continue;
                }

                _run.Clear();
                _run.Add(item);
                while (_run.Count < MaxBatch && reader.TryPeek(out var next) && ReferenceEquals(next.Batch, database) && reader.TryRead(out next))
                {
                    _run.Add(next);
                }

                await RunBatchAsync(database, _run).ConfigureAwait(false);
            }
        }
    }

    private async Task RunBatchAsync(Database database, List<Item> run)
    {
        if (run.Count == 1)
        {
            await RunOneAsync(run[0]).ConfigureAwait(false);
            return;
        }

        WriteBatch? batch = null;
        try
        {
            batch = await database.BeginWriteBatchAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogWarning(e, "Storage write batch could not begin; running {Count} item(s) one by one", run.Count);
        }

        bool committed = false;
        if (batch is not null)
        {
            committed = await TryRunInBatchAsync(database, batch, run).ConfigureAwait(false);
            await batch.DisposeAsync().ConfigureAwait(false);
        }

        if (committed)
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _batchedItems, run.Count);
            Interlocked.Add(ref _pending, -run.Count);
            _notifier?.Notify();
            return;
        }

        if (batch is not null)
        {
            Interlocked.Increment(ref _batchFallbacks);
        }

        foreach (var item in run)
        {
            await RunOneAsync(item).ConfigureAwait(false); // each logs its own failure, as it would have unbatched
        }
    }

    /// <summary>Runs every item in <paramref name="batch"/> and commits; false (rolled back) when any item or the
    /// commit failed.</summary>
    private async Task<bool> TryRunInBatchAsync(Database database, WriteBatch batch, List<Item> run)
    {
        database.UseBatch(batch);
        try
        {
            foreach (var item in run)
            {
                await item.Work().ConfigureAwait(false);
            }

            database.UseBatch(null);
            await batch.CommitAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            database.UseBatch(null);
            _logger.LogDebug(e, "Storage write batch of {Count} item(s) failed; rolling back and running them one by one", run.Count);
            try
            {
                await batch.RollbackAsync().ConfigureAwait(false);
            }
            catch (Exception rollback) when (rollback is not OutOfMemoryException)
            {
                _logger.LogDebug(rollback, "Storage write batch rollback failed (the transaction had ended)");
            }

            return false;
        }
    }

    private async Task RunOneAsync(Item item)
    {
        try
        {
            await item.Work().ConfigureAwait(false);
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

    private readonly record struct Item(Func<Task> Work, Database? Batch);
}
