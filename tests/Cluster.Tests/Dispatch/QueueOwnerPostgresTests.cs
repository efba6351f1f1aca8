using System.Collections.Concurrent;
using Telephony.Cluster.Agents;
using Telephony.Cluster.Calls;
using Telephony.Cluster.Dispatch;
using Telephony.Cluster.Leases;

namespace Telephony.Cluster.Tests.Dispatch;

/// <summary>
/// The owner's round against a real PostgreSQL (<see cref="ThrowawayPostgres"/>): agent state is read cluster-wide (an
/// agent on a call on node B is not offered by node A's owner, a dead node's rows are ignored), and two owners racing
/// for one queue, one of them stalling past its lease before it writes, never both assign one agent or one caller.
/// </summary>
public sealed class QueueOwnerPostgresTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>
{
    private static readonly TimeSpan Alive = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);

    private static string New(string name) => name + "-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<string> WaitingCallerAsync(string queue, string node, int second)
    {
        var calls = new ClusterCallStore(postgres.DataSource);
        var id = New("call");
        await calls.StartAsync(id, node, "+15550001", "0800", T0);
        Assert.True(await calls.EnterQueueAsync(id, queue, 0, T0.AddSeconds(second)));
        return id;
    }

    [PostgresFact]
    public async Task An_agent_busy_on_node_b_is_not_offered_by_node_a_until_free_everywhere()
    {
        var calls = new ClusterCallStore(postgres.DataSource);
        var agents = new ClusterAgentStore(postgres.DataSource);
        var (a, b, dead) = (New("node-a"), New("node-b"), New("node-dead"));
        await calls.BeatAsync(a);
        await calls.BeatAsync(b);
        var agent = New("1001");
        await agents.SetAsync(a, agent, ClusterAgentState.Available, T0);
        await agents.SetAsync(b, agent, "OnCall", T0);
        await agents.SetAsync(dead, agent, "Paused", T0); // never beat: ignored
        var queue = New("support");
        var caller = await WaitingCallerAsync(queue, a, 1);
        var lease = (await new QueueLeaseStore(postgres.DataSource).TryAcquireAsync(queue, a, Long))!;
        var owner = new QueueOwner(new QueueOwnerStore(postgres.DataSource, Alive));
        var config = new OwnedQueue(queue, [new OwnedQueueMember(agent, 0)], OwnerStrategy.LongestIdle);

        Assert.Empty((await owner.RunAsync(lease, config)).Assigned);
        await agents.SetAsync(b, agent, "WrapUp", T0.AddSeconds(5));
        Assert.Empty((await owner.RunAsync(lease, config)).Assigned);
        await agents.SetAsync(b, agent, ClusterAgentState.Available, T0.AddSeconds(9));
        Assert.Equal([(caller, agent)], (await owner.RunAsync(lease, config)).Assigned);
        Assert.Equal(agent, Assert.Single(await new QueueAssignmentStore(postgres.DataSource).AssignmentsForAsync(a)).Agent);
        Assert.Empty((await owner.RunAsync(lease, config)).Assigned); // assigned: not offered again

        await agents.ClearAsync(b);
        await agents.ClearAsync(a);
        Assert.False((await agents.ViewAsync(Alive)).IsFreeOn(agent, a));
    }

    [PostgresFact]
    public async Task A_callback_of_node_a_and_a_caller_of_node_b_share_one_line_and_one_agent_one_at_a_time()
    {
        var calls = new ClusterCallStore(postgres.DataSource);
        var agents = new ClusterAgentStore(postgres.DataSource);
        var assignments = new QueueAssignmentStore(postgres.DataSource);
        var (a, b) = (New("node-a"), New("node-b"));
        await calls.BeatAsync(a);
        await calls.BeatAsync(b);
        var agent = New("1001");
        await agents.SetAsync(a, agent, ClusterAgentState.Available, T0);
        await agents.SetAsync(b, agent, ClusterAgentState.Available, T0);
        var queue = New("support");
        var caller = await WaitingCallerAsync(queue, b, 2);
        var callback = New("cb");
        Assert.True(await calls.PutCallbackAsync(callback, a, queue, 0, T0.AddSeconds(1), null, release: false));
        Assert.False(await calls.PutCallbackAsync(callback, b, queue, 0, T0.AddSeconds(1), null, release: false)); // node-a's row
        var row = (await calls.WaitingAsync(queue))[0];
        Assert.Equal((callback, a, true, (string?)null), (row.CallId, row.Node, row.IsCallback, row.Caller));
        Assert.Empty(LostCallers.WaitingInOrder([row])); // a dead node's callback is no lost caller

        var lease = (await new QueueLeaseStore(postgres.DataSource).TryAcquireAsync(queue, b, Long))!;
        var owner = new QueueOwner(new QueueOwnerStore(postgres.DataSource, Alive));
        var config = new OwnedQueue(queue, [new OwnedQueueMember(agent, 0)], OwnerStrategy.LongestIdle);
        Assert.Equal([(callback, agent)], (await owner.RunAsync(lease, config)).Assigned); // first by arrival
        Assert.Equal(callback, Assert.Single(await assignments.AssignmentsForAsync(a)).CallId);
        Assert.Empty(await assignments.AssignmentsForAsync(b));
        Assert.Empty((await owner.RunAsync(lease, config)).Assigned); // the agent is taken by the callback

        // The agent answered, the customer was busy: the callback waits again (released, due in 5 minutes); the caller is next.
        await agents.SetAsync(a, agent, "OnCall", T0.AddSeconds(5));
        Assert.Empty((await owner.RunAsync(lease, config)).Assigned);
        await agents.SetAsync(a, agent, ClusterAgentState.Available, T0.AddSeconds(9));
        Assert.True(await calls.PutCallbackAsync(callback, a, queue, 0, T0.AddSeconds(1), DateTimeOffset.UtcNow.AddMinutes(5), release: true));
        Assert.Equal([(caller, agent)], (await owner.RunAsync(lease, config)).Assigned);
        await calls.EndAsync(callback);
        Assert.Equal(caller, Assert.Single(await calls.WaitingAsync(queue)).CallId);
    }

    [PostgresFact]
    public async Task Two_owners_racing_one_stalling_past_its_lease_never_both_assign_an_agent()
    {
        var calls = new ClusterCallStore(postgres.DataSource);
        var agentStore = new ClusterAgentStore(postgres.DataSource);
        var leases = new QueueLeaseStore(postgres.DataSource);
        var assignments = new QueueAssignmentStore(postgres.DataSource);
        var queue = New("race");
        var (x, y) = (New("node-x"), New("node-y"));
        await calls.BeatAsync(x);
        await calls.BeatAsync(y);
        var members = Enumerable.Range(0, 4).Select(i => New("agent" + i)).ToList();
        foreach (var m in members)
        {
            await agentStore.SetAsync(x, m, ClusterAgentState.Available, T0);
            await agentStore.SetAsync(y, m, ClusterAgentState.Available, T0);
        }
        for (int i = 0; i < 40; i++)
        {
            await WaitingCallerAsync(queue, i % 2 == 0 ? x : y, i);
        }
        var config = new OwnedQueue(queue, [.. members.Select(m => new OwnedQueueMember(m, 0))], OwnerStrategy.LongestIdle);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(4);
        var offers = new ConcurrentDictionary<string, string>(); // agent -> caller, while "ringing"
        int fenced = 0, doubles = 0;

        async Task OwnerAsync(string node, int seed)
        {
            var random = new Random(seed);
            var keeper = new QueueLeaseKeeper(leases, node, [queue], TimeProvider.System, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100));
            var owner = new QueueOwner(new StallingStore(new QueueOwnerStore(postgres.DataSource, Alive), random));
            while (DateTime.UtcNow < until)
            {
                await keeper.TickAsync();
                if (keeper.LeaseFor(queue) is { } lease)
                {
                    var (assigned, wasFenced) = await owner.RunAsync(lease, config);
                    if (wasFenced)
                    {
                        Interlocked.Increment(ref fenced);
                    }
                    foreach (var (call, agent) in assigned)
                    {
                        if (!offers.TryAdd(agent, call))
                        {
                            Interlocked.Increment(ref doubles);
                        }
                    }
                }
                await Task.Delay(random.Next(10, 40));
            }
        }

        async Task RingingAsync()
        {
            // The callers' nodes: each offer ends unanswered after a moment (the caller waits again, at its place).
            while (DateTime.UtcNow < until)
            {
                foreach (var (agent, call) in offers.ToArray())
                {
                    offers.TryRemove(agent, out _); // first: the owners cannot assign the agent again before the release
                    Assert.True(await assignments.ReleaseAsync(call, agent), $"{agent} was not assigned to {call} any more");
                }
                await Task.Delay(60);
            }
        }

        await Task.WhenAll(Task.Run(() => OwnerAsync(x, 1)), Task.Run(() => OwnerAsync(y, 2)), Task.Run(RingingAsync));

        Assert.Equal(0, doubles);
        Assert.True(fenced > 0, "a stalled owner should have been fenced at least once");
        await using var command = postgres.DataSource.CreateCommand("SELECT token, owner FROM queue_dispatches WHERE queue = @q ORDER BY id");
        command.Parameters.AddWithValue("q", queue);
        var log = new List<(long Token, string Owner)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                log.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }
        Assert.True(log.Count >= 8, $"only {log.Count} assignments");
        Assert.Equal(2, log.Select(l => l.Owner).Distinct().Count());
        Assert.All(log.GroupBy(l => l.Token), g => Assert.Single(g.Select(l => l.Owner).Distinct()));
        for (int i = 1; i < log.Count; i++)
        {
            Assert.True(log[i].Token >= log[i - 1].Token, $"assignment {i} used token {log[i].Token} after {log[i - 1].Token}");
        }
    }

    [PostgresFact]
    public async Task A_survivor_taking_over_continues_the_same_line_in_order_and_the_old_owner_is_fenced()
    {
        var calls = new ClusterCallStore(postgres.DataSource);
        var agents = new ClusterAgentStore(postgres.DataSource);
        var leases = new QueueLeaseStore(postgres.DataSource);
        var (a, b, media) = (New("node-a"), New("node-b"), New("node-m"));
        await calls.BeatAsync(media);
        var (ag1, ag2) = (New("1001"), New("1002"));
        await agents.SetAsync(media, ag1, ClusterAgentState.Available, T0);
        var queue = New("takeover");
        var config = new OwnedQueue(queue, [new OwnedQueueMember(ag1, 0), new OwnedQueueMember(ag2, 0)], OwnerStrategy.LongestIdle);
        var (c1, c2, c3) = (await WaitingCallerAsync(queue, media, 1), await WaitingCallerAsync(queue, media, 2), await WaitingCallerAsync(queue, media, 3));

        var old = (await leases.TryAcquireAsync(queue, a, TimeSpan.FromMilliseconds(400)))!;
        var first = new QueueOwner(new QueueOwnerStore(postgres.DataSource, Alive));
        Assert.Equal([(c1, ag1)], (await first.RunAsync(old, config)).Assigned);
        await Task.Delay(700); // node-a stalls or dies: its lease lapses
        var lease = (await leases.TryAcquireAsync(queue, b, Long))!;
        Assert.True(lease.Token > old.Token);
        await agents.SetAsync(media, ag2, ClusterAgentState.Available, T0.AddSeconds(1));
        var survivor = new QueueOwner(new QueueOwnerStore(postgres.DataSource, Alive));
        Assert.Equal([(c2, ag2)], (await survivor.RunAsync(lease, config)).Assigned); // c1's assignment stands

        // ag2 does not answer c2 (handed back: c2 keeps its place before c3); ag1 answers c1 and is free again later.
        Assert.True(await new QueueAssignmentStore(postgres.DataSource).ReleaseAsync(c2, ag2));
        await agents.SetAsync(media, ag2, ClusterAgentState.Available, T0.AddSeconds(5));
        await agents.SetAsync(media, ag1, "OnCall", T0.AddSeconds(2));
        await calls.LeaveQueueAsync(c1);
        Assert.Equal([c2, c3], (await calls.WaitingAsync(queue)).Select(c => c.CallId));
        var stale = await first.RunAsync(old, config); // node-a wakes up and acts on its old lease
        Assert.True(stale.Fenced);
        Assert.Empty(stale.Assigned);
        Assert.Equal([(c2, ag2)], (await survivor.RunAsync(lease, config)).Assigned);
        await agents.SetAsync(media, ag1, ClusterAgentState.Available, T0.AddSeconds(6));
        Assert.Equal([(c3, ag1)], (await survivor.RunAsync(lease, config)).Assigned);
        await calls.LeaveQueueAsync(c2);
        await agents.SetAsync(media, ag2, ClusterAgentState.Available, T0.AddSeconds(7));
        Assert.Empty((await first.RunAsync(old, config)).Assigned); // nothing unassigned left for the old owner either
    }

    /// <summary>Sometimes stalls past the 300 ms lease between reading the line and writing the assignment.</summary>
    private sealed class StallingStore(IQueueOwnerStore inner, Random random) : IQueueOwnerStore
    {
        public Task<IReadOnlyList<ClusterCall>> WaitingAsync(string queue, CancellationToken ct) => inner.WaitingAsync(queue, ct);

        public Task<ClusterAgents> AgentsAsync(CancellationToken ct) => inner.AgentsAsync(ct);

        public async Task<AssignResult> TryAssignAsync(QueueLease lease, string callId, string agent, CancellationToken ct)
        {
            if (random.Next(100) < 15)
            {
                await Task.Delay(random.Next(650, 800), ct);
            }
            return await inner.TryAssignAsync(lease, callId, agent, ct);
        }
    }
}
