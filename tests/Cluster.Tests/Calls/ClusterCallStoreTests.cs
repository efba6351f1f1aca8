using Telephony.Cluster.Calls;

namespace Telephony.Cluster.Tests.Calls;

/// <summary>
/// Calls by node and waiting callers' places in a real PostgreSQL (<see cref="ThrowawayPostgres"/>): the order of the
/// line survives in the rows, a dead node's calls are taken once (two survivors racing get disjoint rows), a live node's
/// calls are never taken, and a restarted node takes what its previous run left.
/// </summary>
public sealed class ClusterCallStoreTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);

    private ClusterCallStore Store => new(postgres.DataSource);

    private static string New(string name) => name + "-" + Guid.NewGuid().ToString("N")[..8];

    [PostgresFact]
    public async Task Waiting_callers_of_all_nodes_are_listed_in_service_order_and_leave_when_answered_or_ended()
    {
        var store = Store;
        var queue = New("support");
        var (a, b) = (New("node-a"), New("node-b"));
        string[] ids = [New("c1"), New("c2"), New("c3"), New("c4")];
        await store.StartAsync(ids[0], a, "+15550001", "0800", T0);
        await store.StartAsync(ids[1], b, "+15550002", "0800", T0);
        await store.StartAsync(ids[2], a, "+15550003", "0800", T0);
        await store.StartAsync(ids[3], b, "+15550004", "0800", T0);
        Assert.True(await store.EnterQueueAsync(ids[0], queue, 0, T0.AddSeconds(1)));
        Assert.True(await store.EnterQueueAsync(ids[1], queue, 0, T0.AddSeconds(1))); // same time: entry sequence decides
        Assert.True(await store.EnterQueueAsync(ids[2], queue, 3, T0.AddSeconds(9)));
        Assert.True(await store.EnterQueueAsync(ids[3], queue, 0, T0.AddSeconds(5)));
        Assert.False(await store.EnterQueueAsync(New("unknown"), queue, 0, T0));

        Assert.Equal([ids[2], ids[0], ids[1], ids[3]], (await store.WaitingAsync(queue)).Select(c => c.CallId));
        var first = (await store.WaitingAsync(queue))[1];
        Assert.Equal((a, "+15550001", 0, T0.AddSeconds(1)), (first.Node, first.Caller, first.Priority, first.EnteredAt));

        // An overflow to another queue keeps the place (first entry time); answering or ending removes the caller.
        var other = New("operator");
        Assert.True(await store.EnterQueueAsync(ids[3], other, 0, T0.AddSeconds(60)));
        Assert.Equal(T0.AddSeconds(5), Assert.Single(await store.WaitingAsync(other)).EnteredAt);
        await store.LeaveQueueAsync(ids[2]);
        await store.EndAsync(ids[0]);
        Assert.Equal([ids[1]], (await store.WaitingAsync(queue)).Select(c => c.CallId));
    }

    [PostgresFact]
    public async Task A_silent_node_s_calls_are_taken_once_in_line_order_and_a_live_node_s_never()
    {
        var store = Store;
        var queue = New("sales");
        var (dead, live, survivor1, survivor2) = (New("dead"), New("live"), New("s1"), New("s2"));
        await store.BeatAsync(dead);
        await store.BeatAsync(live);
        string talking = New("talking"), second = New("second"), first = New("first"), other = New("live-call");
        await store.StartAsync(talking, dead, "+15550009", "0800", T0);
        await store.StartAsync(second, dead, "+15550002", "0800", T0);
        await store.StartAsync(first, dead, "+15550001", "0800", T0);
        await store.StartAsync(other, live, "+15550003", "0800", T0);
        await store.EnterQueueAsync(second, queue, 0, T0.AddSeconds(2));
        await store.EnterQueueAsync(first, queue, 0, T0.AddSeconds(1));
        await store.EnterQueueAsync(other, queue, 0, T0);

        await Task.Delay(700);
        await store.BeatAsync(live); // "live" keeps beating, "dead" stopped
        var deadAfter = TimeSpan.FromMilliseconds(500);
        Assert.Contains(dead, await store.DeadNodesAsync(survivor1, deadAfter));
        Assert.DoesNotContain(live, await store.DeadNodesAsync(survivor1, deadAfter));

        var taken = await Task.WhenAll(
            Task.Run(() => store.TakeOrphansAsync(survivor1, deadAfter)),
            Task.Run(() => store.TakeOrphansAsync(survivor2, deadAfter)));
        var all = taken.SelectMany(t => t).Where(c => c.Node == dead).ToList();
        Assert.Equal(3, all.Count);
        Assert.Equal(3, all.Select(c => c.CallId).Distinct().Count()); // nobody recovers a call twice
        var winner = taken.Single(t => t.Any(c => c.Node == dead)).Where(c => c.Node == dead).ToList();
        Assert.Equal([first, second, talking], winner.Select(c => c.CallId)); // waiting callers in line order, then the rest
        Assert.Empty(await store.TakeOrphansAsync(survivor1, deadAfter));
        Assert.Equal([other], (await store.WaitingAsync(queue)).Select(c => c.CallId));
    }

    [PostgresFact]
    public async Task A_node_never_takes_its_own_calls_as_orphans_but_takes_what_its_previous_run_left()
    {
        var store = Store;
        var node = New("node");
        await store.BeatAsync(node);
        var call = New("call");
        await store.StartAsync(call, node, "+15550001", "0800", T0);
        await Task.Delay(300);
        Assert.DoesNotContain(await store.TakeOrphansAsync(node, TimeSpan.FromMilliseconds(100)), c => c.CallId == call);
        Assert.Equal([call], (await store.TakeLeftoversAsync(node)).Select(c => c.CallId));
        Assert.Empty(await store.TakeLeftoversAsync(node));
    }
}
