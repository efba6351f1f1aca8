using System.Collections.Concurrent;
using Npgsql;
using Telephony.Cluster.Calls;
using Telephony.Cluster.Leases;

namespace Telephony.Cluster.Tests.Leases;

/// <summary>
/// The fenced assignment write against a real PostgreSQL (<see cref="ThrowawayPostgres"/>): only the queue's current
/// owner assigns a waiting caller (on any node) to an agent, a paused owner that wakes up late is refused, one agent is
/// never offered two callers nor one caller two agents, and two lease keepers racing (with pauses past their leases)
/// never both assign.
/// </summary>
public sealed class QueueAssignmentStoreTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(400);
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
    public async Task The_owner_assigns_a_caller_waiting_on_another_node_and_that_node_sees_whom_to_ring()
    {
        var leases = new QueueLeaseStore(postgres.DataSource);
        var assignments = new QueueAssignmentStore(postgres.DataSource);
        var queue = New("support");
        var landing = New("node-b");
        var caller = await WaitingCallerAsync(queue, landing, 1);
        QueueLease owner = (await leases.TryAcquireAsync(queue, New("node-a"), Long))!;

        Assert.Equal(AssignResult.Assigned, await assignments.TryAssignAsync(owner, caller, New("1001")));
        var assigned = Assert.Single(await assignments.AssignmentsForAsync(landing));
        Assert.Equal((queue, caller, landing, owner.Token), (assigned.Queue, assigned.CallId, assigned.Node, assigned.Token));
        Assert.Equal(AssignResult.CallerGone, await assignments.TryAssignAsync(owner, caller, New("1002"))); // one agent per caller
        Assert.Equal(AssignResult.CallerGone, await assignments.TryAssignAsync(owner, New("not-waiting"), New("1003")));
    }

    [PostgresFact]
    public async Task One_agent_is_never_offered_two_callers_until_the_first_offer_is_handed_back()
    {
        var leases = new QueueLeaseStore(postgres.DataSource);
        var assignments = new QueueAssignmentStore(postgres.DataSource);
        var queue = New("sales");
        var (c1, c2) = (await WaitingCallerAsync(queue, "node-a", 1), await WaitingCallerAsync(queue, "node-b", 2));
        QueueLease owner = (await leases.TryAcquireAsync(queue, New("node-a"), Long))!;
        var agent = New("1003");

        Assert.Equal(AssignResult.Assigned, await assignments.TryAssignAsync(owner, c1, agent));
        Assert.Equal(AssignResult.AgentTaken, await assignments.TryAssignAsync(owner, c2, agent));
        Assert.True(await assignments.ReleaseAsync(c1, agent)); // no answer: c1 waits again, at its place
        Assert.False(await assignments.ReleaseAsync(c1, agent));
        Assert.Equal(AssignResult.Assigned, await assignments.TryAssignAsync(owner, c2, agent));
        Assert.Equal([c1, c2], (await new ClusterCallStore(postgres.DataSource).WaitingAsync(queue)).Select(c => c.CallId));
    }

    [PostgresFact]
    public async Task A_paused_owner_that_wakes_up_late_cannot_assign_and_the_new_owner_does()
    {
        var leases = new QueueLeaseStore(postgres.DataSource);
        var assignments = new QueueAssignmentStore(postgres.DataSource);
        var queue = New("billing");
        var caller = await WaitingCallerAsync(queue, "node-c", 1);
        QueueLease a = (await leases.TryAcquireAsync(queue, New("node-a"), Short))!; // decides 1001, then stalls
        await Task.Delay(Short + TimeSpan.FromMilliseconds(300));
        Assert.Equal(AssignResult.Fenced, await assignments.TryAssignAsync(a, caller, New("1001"))); // lapsed: fenced
        QueueLease b = (await leases.TryAcquireAsync(queue, New("node-b"), Long))!;
        var agent = New("1002");
        Assert.Equal(AssignResult.Assigned, await assignments.TryAssignAsync(b, caller, agent));
        Assert.Equal(AssignResult.Fenced, await assignments.TryAssignAsync(a, caller, New("1001"))); // and still fenced
        Assert.Equal(agent, Assert.Single(await assignments.AssignmentsForAsync("node-c"), x => x.CallId == caller).Agent);
    }

    [PostgresFact]
    public async Task Two_lease_keepers_racing_with_pauses_past_their_leases_never_both_assign()
    {
        var leases = new QueueLeaseStore(postgres.DataSource);
        var assignments = new QueueAssignmentStore(postgres.DataSource);
        var queue = New("chaos");
        var callers = new List<string>();
        for (int i = 0; i < 120; i++)
        {
            callers.Add(await WaitingCallerAsync(queue, i % 2 == 0 ? "node-x" : "node-y", i));
        }
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        var assigned = new ConcurrentBag<(string Owner, long Token, string Call)>();
        int fenced = 0;

        async Task NodeAsync(string owner, int seed)
        {
            var random = new Random(seed);
            var keeper = new QueueLeaseKeeper(leases, owner, [queue], TimeProvider.System, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100));
            int n = 0;
            while (DateTime.UtcNow < until)
            {
                await keeper.TickAsync();
                if (keeper.LeaseFor(queue) is not { } lease)
                {
                    await Task.Delay(random.Next(20, 80));
                    continue;
                }
                var next = (await new ClusterCallStore(postgres.DataSource).WaitingAsync(queue)).FirstOrDefault(c => c.Agent is null);
                if (next is null)
                {
                    return;
                }
                // Decided; sometimes the owner stalls past its lease (GC, VM pause) before writing, without ticking.
                // Long enough past the 300 ms lease for the other keeper (ticking every 20-80 ms) to take the queue.
                await Task.Delay(random.Next(100) < 15 ? random.Next(650, 800) : random.Next(0, 30));
                switch (await assignments.TryAssignAsync(lease, next.CallId, $"{owner}-agent-{n++}"))
                {
                    case AssignResult.Assigned: assigned.Add((owner, lease.Token, next.CallId)); break;
                    case AssignResult.Fenced: Interlocked.Increment(ref fenced); break;
                    default: break; // the other owner got there first, under its newer token
                }
            }
        }

        await Task.WhenAll(Task.Run(() => NodeAsync("node-a", 1)), Task.Run(() => NodeAsync("node-b", 2)));

        Assert.True(fenced > 0, "the late writers should have been fenced at least once");
        Assert.Equal(2, assigned.Select(a => a.Owner).Distinct().Count());
        Assert.Equal(assigned.Count, assigned.Select(a => a.Call).Distinct().Count()); // no caller assigned twice
        var log = await DispatchesAsync(queue);
        Assert.Equal(assigned.Count, log.Count);
        for (int i = 1; i < log.Count; i++)
        {
            Assert.True(log[i].Token >= log[i - 1].Token, $"assignment {i} used token {log[i].Token} after token {log[i - 1].Token}");
        }
        Assert.All(log.GroupBy(r => r.Token), g => Assert.Single(g.Select(r => r.Owner).Distinct()));
    }

    private async Task<List<(long Token, string Owner)>> DispatchesAsync(string queue)
    {
        await using var command = postgres.DataSource.CreateCommand("SELECT token, owner FROM queue_dispatches WHERE queue = @queue ORDER BY id");
        command.Parameters.AddWithValue("queue", queue);
        var rows = new List<(long, string)>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        return rows;
    }
}
