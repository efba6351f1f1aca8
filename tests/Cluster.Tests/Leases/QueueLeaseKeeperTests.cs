using Microsoft.Extensions.Time.Testing;
using Telephony.Cluster.Leases;

namespace Telephony.Cluster.Tests.Leases;

/// <summary>The keeper's rounds against an in-memory lease table on a fake clock (no database, no sleeps).</summary>
public sealed class QueueLeaseKeeperTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly MemoryLeases _table;

    public QueueLeaseKeeperTests() => _table = new MemoryLeases(_time);

    private QueueLeaseKeeper Keeper(string owner, params string[] queues) => new(_table, owner, queues, _time);

    [Fact]
    public async Task Claims_free_queues_and_renews_them_without_a_new_token()
    {
        var a = Keeper("node-a", "sales", "support");
        var changes = new List<QueueLeaseChange>();
        a.Changed += (_, c) => changes.Add(c);
        await a.TickAsync();
        Assert.Equal(["sales", "support"], a.Owned.Keys.Order());
        _time.Advance(TimeSpan.FromSeconds(1));
        await a.TickAsync();
        Assert.Equal(1, a.LeaseFor("sales")!.Token);
        Assert.Equal(["acquired", "acquired"], changes.Select(c => c.Reason));
    }

    [Fact]
    public async Task A_survivor_owns_the_queue_within_duration_plus_one_round_after_the_owner_stops()
    {
        var a = Keeper("node-a", "support");
        var b = Keeper("node-b", "support");
        await a.TickAsync();
        await b.TickAsync();
        Assert.Null(b.LeaseFor("support"));

        // node-a dies (no more ticks); node-b keeps ticking every second.
        var died = _time.GetUtcNow();
        while (b.LeaseFor("support") is null)
        {
            _time.Advance(b.RenewEvery);
            await b.TickAsync();
        }
        Assert.InRange(_time.GetUtcNow() - died, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));
        Assert.Equal(2, b.LeaseFor("support")!.Token);
        Assert.Null(a.LeaseFor("support")); // node-a's own view lapsed too
    }

    [Fact]
    public async Task A_lease_taken_over_while_the_owner_was_stalled_is_reported_lost()
    {
        var a = Keeper("node-a", "support");
        await a.TickAsync();
        QueueLeaseChange? lost = null;
        a.Changed += (_, c) => lost = c;
        _time.Advance(TimeSpan.FromSeconds(5)); // stalled past the lease
        await Keeper("node-b", "support").TickAsync();
        await a.TickAsync();
        Assert.Null(a.LeaseFor("support"));
        Assert.Equal(new QueueLeaseChange("support", null, "lost"), lost);
    }

    [Fact]
    public async Task Database_unreachable_the_lease_is_trusted_only_until_its_local_deadline()
    {
        var a = Keeper("node-a", "support");
        await a.TickAsync();
        _table.Down = true;
        _time.Advance(TimeSpan.FromSeconds(2));
        await a.TickAsync();
        Assert.NotNull(a.LeaseFor("support"));
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Null(a.LeaseFor("support")); // past the deadline even before the next round
        await a.TickAsync();
        Assert.Empty(a.Owned);
    }

    [Fact]
    public async Task Queues_no_longer_configured_are_released_and_release_all_frees_the_rest()
    {
        var a = Keeper("node-a", "sales", "support");
        await a.TickAsync();
        a.SetQueues(["support"]);
        await a.TickAsync();
        Assert.Equal(["support"], a.Owned.Keys);
        Assert.Null(_table.Holder("sales"));
        await a.ReleaseAllAsync();
        Assert.Empty(a.Owned);
        Assert.Null(_table.Holder("support"));
    }

    [Fact]
    public void Renewing_as_often_as_the_lease_lasts_is_refused() =>
        Assert.Throws<ArgumentException>(() => new QueueLeaseKeeper(_table, "node-a", ["q"], _time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

    /// <summary>The lease rules of <see cref="QueueLeaseStore"/> in memory.</summary>
    private sealed class MemoryLeases(TimeProvider time) : IQueueLeases
    {
        private readonly Dictionary<string, QueueLease> _rows = new(StringComparer.Ordinal);

        public bool Down { get; set; }

        public string? Holder(string queue) =>
            _rows.TryGetValue(queue, out var l) && l.ExpiresAt > time.GetUtcNow() ? l.Owner : null;

        public Task<QueueLease?> TryAcquireAsync(string queue, string owner, TimeSpan duration, CancellationToken ct = default)
        {
            Check();
            var now = time.GetUtcNow();
            if (!_rows.TryGetValue(queue, out var row))
            {
                return Task.FromResult<QueueLease?>(_rows[queue] = new QueueLease(queue, owner, 1, now + duration));
            }
            if (row.Owner != owner && row.ExpiresAt > now)
            {
                return Task.FromResult<QueueLease?>(null);
            }
            long token = row.Owner == owner && row.ExpiresAt > now ? row.Token : row.Token + 1;
            return Task.FromResult<QueueLease?>(_rows[queue] = new QueueLease(queue, owner, token, now + duration));
        }

        public Task<QueueLease?> TryRenewAsync(QueueLease lease, TimeSpan duration, CancellationToken ct = default)
        {
            Check();
            var now = time.GetUtcNow();
            return Task.FromResult<QueueLease?>(_rows.TryGetValue(lease.Queue, out var row) && row.Owner == lease.Owner
                && row.Token == lease.Token && row.ExpiresAt > now
                ? _rows[lease.Queue] = row with { ExpiresAt = now + duration }
                : null);
        }

        public Task<bool> ReleaseAsync(QueueLease lease, CancellationToken ct = default)
        {
            Check();
            if (_rows.TryGetValue(lease.Queue, out var row) && row.Owner == lease.Owner && row.Token == lease.Token)
            {
                _rows[lease.Queue] = row with { ExpiresAt = time.GetUtcNow() };
                return Task.FromResult(true);
            }
            return Task.FromResult(false);
        }

        private void Check()
        {
            if (Down)
            {
                throw new TimeoutException("database unreachable");
            }
        }
    }
}
