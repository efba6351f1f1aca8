using Npgsql;
using Telephony.Cluster.Leases;

namespace Telephony.Cluster.Tests.Leases;

/// <summary>
/// Queue leases with fencing tokens against a real PostgreSQL (<see cref="ThrowawayPostgres"/>): one owner at a time,
/// the token grows on every change of ownership, and a decision taken under a lease that lapsed (the owner was paused
/// past it) is refused by the database, so two nodes never both dispatch for one queue.
/// </summary>
public sealed class QueueLeaseStoreTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(400);

    private Task<QueueLeaseStore> StoreAsync() => Task.FromResult(new QueueLeaseStore(postgres.DataSource));

    private static string NewQueue(string name) => name + "-" + Guid.NewGuid().ToString("N")[..8];

    [PostgresFact]
    public async Task First_owner_gets_token_1_and_another_node_is_refused_while_it_holds_the_queue()
    {
        var store = await StoreAsync();
        var queue = NewQueue("sales");
        QueueLease? a = await store.TryAcquireAsync(queue, "node-a", Long);
        Assert.NotNull(a);
        Assert.Equal(1, a.Token);
        Assert.Null(await store.TryAcquireAsync(queue, "node-b", Long));
        Assert.Equal(a with { ExpiresAt = default }, (await store.CurrentAsync(queue))! with { ExpiresAt = default });
    }

    [PostgresFact]
    public async Task Token_grows_on_every_change_of_ownership_and_never_on_renew()
    {
        var store = await StoreAsync();
        var queue = NewQueue("support");
        QueueLease a1 = (await store.TryAcquireAsync(queue, "node-a", Long))!;
        QueueLease renewed = (await store.TryRenewAsync(a1, Long))!;
        QueueLease again = (await store.TryAcquireAsync(queue, "node-a", Long))!;
        Assert.Equal([1L, 1L, 1L], [a1.Token, renewed.Token, again.Token]);
        Assert.True(renewed.ExpiresAt >= a1.ExpiresAt);

        Assert.True(await store.ReleaseAsync(again));
        Assert.False(await store.ReleaseAsync(again)); // already released
        Assert.Null(await store.CurrentAsync(queue));
        QueueLease b = (await store.TryAcquireAsync(queue, "node-b", Long))!;
        Assert.Equal(2, b.Token);
        Assert.Null(await store.TryRenewAsync(a1, Long)); // node-a's old lease cannot be renewed
        Assert.True(await store.ReleaseAsync(b));
        QueueLease a2 = (await store.TryAcquireAsync(queue, "node-a", Long))!;
        Assert.Equal(3, a2.Token);
        Assert.True(await store.ReleaseAsync(a2));
        QueueLease a3 = (await store.TryAcquireAsync(queue, "node-a", Long))!;
        Assert.Equal(4, a3.Token); // ours again after a release is a new ownership
    }

    [PostgresFact]
    public async Task Two_nodes_racing_for_a_free_queue_exactly_one_wins_every_time()
    {
        var store = await StoreAsync();
        for (int i = 0; i < 40; i++)
        {
            var queue = NewQueue("race");
            QueueLease?[] results = await Task.WhenAll(
                Task.Run(() => store.TryAcquireAsync(queue, "node-a", Long)),
                Task.Run(() => store.TryAcquireAsync(queue, "node-b", Long)));
            QueueLease winner = Assert.Single(results.OfType<QueueLease>());
            Assert.Equal(1, winner.Token);
        }
    }

    [PostgresFact]
    public async Task A_paused_owner_that_wakes_up_after_its_lease_is_fenced_and_only_the_new_owner_dispatches()
    {
        var store = await StoreAsync();
        var queue = NewQueue("billing");
        QueueLease a = (await store.TryAcquireAsync(queue, "node-a", Short))!;
        var lateDecision = new DispatchDecision(a, "call-1", "1001"); // decided, then node-a stalls (GC, VM pause...)
        await Task.Delay(Short + TimeSpan.FromMilliseconds(300));

        QueueLease b = (await store.TryAcquireAsync(queue, "node-b", Long))!;
        Assert.Equal(a.Token + 1, b.Token);
        Assert.True(await store.TryRecordDispatchAsync(new DispatchDecision(b, "call-1", "1002")));

        Assert.False(await store.TryRecordDispatchAsync(lateDecision)); // node-a wakes up: its token is refused
        Assert.Null(await store.TryRenewAsync(a, Long));
        Assert.Null(await store.TryAcquireAsync(queue, "node-a", Long));
        Assert.Equal([("node-b", b.Token, "1002")], await DispatchesAsync(queue));
    }

    [PostgresFact]
    public async Task A_lapsed_lease_is_fenced_even_before_another_node_takes_the_queue()
    {
        var store = await StoreAsync();
        var queue = NewQueue("lapsed");
        QueueLease a = (await store.TryAcquireAsync(queue, "node-a", Short))!;
        Assert.True(await store.TryRecordDispatchAsync(new DispatchDecision(a, "call-1", "1001")));
        await Task.Delay(Short + TimeSpan.FromMilliseconds(300));
        Assert.False(await store.TryRecordDispatchAsync(new DispatchDecision(a, "call-2", "1001")));
        Assert.Null(await store.CurrentAsync(queue));
        QueueLease again = (await store.TryAcquireAsync(queue, "node-a", Long))!;
        Assert.Equal(a.Token + 1, again.Token); // ownership lapsed: a new token even for the same node
        Assert.True(await store.TryRecordDispatchAsync(new DispatchDecision(again, "call-2", "1001")));
    }

    [PostgresFact]
    public async Task Two_nodes_with_random_pauses_past_their_leases_never_both_dispatch()
    {
        var store = await StoreAsync();
        var queue = NewQueue("chaos");
        var lease = TimeSpan.FromMilliseconds(250);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(4);
        var fenced = new int[2];
        var accepted = new int[2];

        async Task NodeAsync(int index, int seed)
        {
            var random = new Random(seed);
            string owner = index == 0 ? "node-a" : "node-b";
            int call = 0;
            while (DateTime.UtcNow < until)
            {
                QueueLease? held = await store.TryAcquireAsync(queue, owner, lease);
                if (held is null)
                {
                    await Task.Delay(random.Next(20, 120));
                    continue;
                }
                for (int i = 0; i < 4 && DateTime.UtcNow < until; i++)
                {
                    var decision = new DispatchDecision(held, $"{owner}-{call++}", owner == "node-a" ? "1001" : "1002");
                    // Sometimes the owner stalls past its lease between deciding and writing.
                    await Task.Delay(random.Next(10) < 3 ? random.Next(260, 450) : random.Next(0, 40));
                    if (await store.TryRecordDispatchAsync(decision))
                    {
                        Interlocked.Increment(ref accepted[index]);
                    }
                    else
                    {
                        Interlocked.Increment(ref fenced[index]);
                        break;
                    }
                }
            }
        }

        await Task.WhenAll(Task.Run(() => NodeAsync(0, 1)), Task.Run(() => NodeAsync(1, 2)));

        var rows = await DispatchesAsync(queue);
        Assert.True(accepted[0] > 0 && accepted[1] > 0, $"both nodes should have owned the queue at some point: {accepted[0]}/{accepted[1]}");
        Assert.True(fenced[0] + fenced[1] > 0, "the late writers should have been fenced at least once");
        Assert.Equal(accepted[0] + accepted[1], rows.Count);
        // In commit order, tokens never go back and each token belongs to one owner: never two owners dispatching.
        for (int i = 1; i < rows.Count; i++)
        {
            Assert.True(rows[i].Token >= rows[i - 1].Token, $"dispatch {i} used token {rows[i].Token} after token {rows[i - 1].Token}");
        }
        Assert.All(rows.GroupBy(r => r.Token), g => Assert.Single(g.Select(r => r.Owner).Distinct()));
    }

    [PostgresFact]
    public async Task When_the_owning_node_dies_a_survivor_owns_its_queue_in_under_5_seconds()
    {
        var store = await StoreAsync();
        var queue = NewQueue("failover");
        var a = new QueueLeaseKeeper(store, "node-a", [queue], TimeProvider.System); // 3 s leases, renewed every second
        var b = new QueueLeaseKeeper(store, "node-b", [queue], TimeProvider.System);
        await a.TickAsync();
        await b.TickAsync();
        Assert.NotNull(a.LeaseFor(queue));
        Assert.Null(b.LeaseFor(queue));

        var died = System.Diagnostics.Stopwatch.StartNew(); // node-a stops ticking: killed
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var survivor = b.RunAsync(cts.Token);
        while (b.LeaseFor(queue) is null && !cts.IsCancellationRequested)
        {
            await Task.Delay(50);
        }
        died.Stop();
        await cts.CancelAsync();
        await survivor;
        Assert.True(died.Elapsed < TimeSpan.FromSeconds(5), $"re-owned after {died.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(2, b.LeaseFor(queue)!.Token);
        Assert.False(await store.TryRecordDispatchAsync(new DispatchDecision(new QueueLease(queue, "node-a", 1, default), "late", "1001")));
    }

    private async Task<List<(string Owner, long Token, string Agent)>> DispatchesAsync(string queue)
    {
        await using NpgsqlCommand command = postgres.DataSource.CreateCommand(
            "SELECT owner, token, agent FROM queue_dispatches WHERE queue = @queue ORDER BY id");
        command.Parameters.AddWithValue("queue", queue);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, long, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        }
        return rows;
    }
}
