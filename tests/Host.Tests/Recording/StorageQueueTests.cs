using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Host.Recording;
using Telephony.Recording.Storage;

namespace Telephony.Host.Tests.Recording;

/// <summary>The storage queue's write batches: per-call writes queued back to back commit together; a failing item
/// costs only itself; order with unbatched work is kept; live readers are woken after the commit.</summary>
public sealed class StorageQueueTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("host-tests-storage-queue-").FullName;
    private Database _db = null!;
    private EventLog _events = null!;

    public async Task InitializeAsync()
    {
        _db = new Database(Path.Combine(_folder, "telephony.db"));
        await _db.MigrateAsync();
        _events = new EventLog(_db);
    }

    public Task DisposeAsync()
    {
        _db.ClearPool();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Writes_queued_back_to_back_commit_in_one_batch_each_once_in_order()
    {
        var queue = new StorageQueue(NullLogger<StorageQueue>.Instance);
        var gate = new TaskCompletionSource();
        queue.Enqueue(() => gate.Task); // holds the worker so that the writes pile up behind it
        for (int i = 0; i < 100; i++)
        {
            int n = i;
            queue.EnqueueBatched(_db, () => _events.AppendAsync("test", $"call-{n}", "{}", DateTimeOffset.UnixEpoch));
        }

        gate.SetResult();
        await queue.DrainAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, queue.Pending);
        Assert.Equal((1L, 100L, 0L), queue.BatchCounts);
        var rows = await _events.ReadFromAsync(0);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"call-{i}"), rows.Select(r => r.CallId));
    }

    [Fact]
    public async Task A_failing_write_rolls_its_batch_back_and_the_others_are_written_once_one_by_one()
    {
        var queue = new StorageQueue(NullLogger<StorageQueue>.Instance);
        var gate = new TaskCompletionSource();
        queue.Enqueue(() => gate.Task);
        int attemptsOfBad = 0;
        for (int i = 0; i < 10; i++)
        {
            int n = i;
            queue.EnqueueBatched(_db, async () =>
            {
                await _events.AppendAsync("test", $"call-{n}", "{}", DateTimeOffset.UnixEpoch);
                if (n == 5)
                {
                    attemptsOfBad++;
                    throw new InvalidOperationException("bad item");
                }
            });
        }

        gate.SetResult();
        await queue.DrainAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, queue.Pending);
        Assert.Equal((0L, 0L, 1L), queue.BatchCounts);
        Assert.Equal(2, attemptsOfBad); // in the batch, then on its own (its row stays: it was written before it threw, as unbatched)
        var rows = await _events.ReadFromAsync(0);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"call-{i}"), rows.Select(r => r.CallId));
    }

    [Fact]
    public async Task Unbatched_work_sees_every_write_queued_before_it()
    {
        var queue = new StorageQueue(NullLogger<StorageQueue>.Instance);
        var gate = new TaskCompletionSource();
        queue.Enqueue(() => gate.Task);
        for (int i = 0; i < 5; i++)
        {
            int n = i;
            queue.EnqueueBatched(_db, () => _events.AppendAsync("test", $"before-{n}", "{}", DateTimeOffset.UnixEpoch));
        }

        long seen = -1;
        queue.Enqueue(async () => seen = await _events.LastSequenceAsync()); // another connection: only committed rows
        queue.EnqueueBatched(_db, () => _events.AppendAsync("test", "after", "{}", DateTimeOffset.UnixEpoch));
        gate.SetResult();
        await queue.DrainAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(5, seen);
        Assert.Equal(6, await _events.LastSequenceAsync());
    }

    [Fact]
    public async Task Live_readers_are_woken_after_a_batch_commits()
    {
        var notifier = new EventNotifier();
        var queue = new StorageQueue(NullLogger<StorageQueue>.Instance, notifier);
        var gate = new TaskCompletionSource();
        queue.Enqueue(() => gate.Task);
        queue.EnqueueBatched(_db, () => _events.AppendAsync("test", "a", "{}", DateTimeOffset.UnixEpoch));
        queue.EnqueueBatched(_db, () => _events.AppendAsync("test", "b", "{}", DateTimeOffset.UnixEpoch));
        Task woken = notifier.NextAsync();
        gate.SetResult();

        await woken.WaitAsync(TimeSpan.FromSeconds(10));
        await queue.DrainAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, (await _events.ReadFromAsync(0)).Count);
    }
}
