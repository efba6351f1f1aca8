using Telephony.Cluster.Agents;
using Telephony.Cluster.Calls;
using Telephony.Cluster.Dispatch;
using Telephony.Cluster.Leases;

namespace Telephony.Cluster.Tests.Dispatch;

/// <summary>The owner's round on a fake store: service order across nodes, agents free cluster-wide on the caller's node,
/// penalty tiers, strategies, and what each refusal of the fenced write does.</summary>
public sealed class QueueOwnerTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);
    private static readonly QueueLease Lease = new("q", "node-a", 7, T0.AddSeconds(3));

    private static OwnedQueue Queue(OwnerStrategy strategy, params string[] members) =>
        new("q", [.. members.Select(m => m.Split(':') is [var agent, var penalty]
            ? new OwnedQueueMember(agent, int.Parse(penalty, System.Globalization.CultureInfo.InvariantCulture))
            : new OwnedQueueMember(m, 0))], strategy);

    private static ClusterCall Waiting(string id, string node, int second, int priority = 0, string? agent = null) =>
        new(id, node, null, null, T0, "q", priority, T0.AddSeconds(second), second, agent);

    private static ClusterAgentState Agent(string node, string agent, string state = ClusterAgentState.Available, int second = 0) =>
        new(node, agent, state, T0.AddSeconds(second));

    [Fact]
    public async Task Callers_of_both_nodes_get_agents_in_service_order_each_agent_once()
    {
        var store = new FakeStore([Waiting("c2", "node-b", 2), Waiting("c1", "node-a", 1), Waiting("c3", "node-a", 3)],
            [Agent("node-a", "1001", second: 5), Agent("node-b", "1001", second: 5), Agent("node-a", "1002", second: 1), Agent("node-b", "1002", second: 1)]);
        var (assigned, fenced) = await new QueueOwner(store).RunAsync(Lease, Queue(OwnerStrategy.LongestIdle, "1001", "1002"));
        Assert.False(fenced);
        Assert.Equal([("c1", "1002"), ("c2", "1001")], assigned); // c3 waits: both agents taken
    }

    [Fact]
    public async Task An_agent_busy_on_another_node_or_paused_anywhere_or_assigned_is_never_offered()
    {
        var store = new FakeStore([Waiting("c1", "node-a", 1), Waiting("c0", "node-b", 0, agent: "1003")],
            [Agent("node-a", "1001"), Agent("node-b", "1001", "OnCall"), Agent("node-a", "1002"), Agent("node-c", "1002", "Paused"),
             Agent("node-a", "1003"), Agent("node-a", "1004", ClusterAgentState.LoggedOut)],
            assigned: ["1003"]);
        var (assigned, _) = await new QueueOwner(store).RunAsync(Lease, Queue(OwnerStrategy.LongestIdle, "1001", "1002", "1003", "1004"));
        Assert.Empty(assigned);
        Assert.Empty(store.Tried);
    }

    [Fact]
    public async Task An_agent_available_only_on_another_node_is_not_offered_to_this_caller()
    {
        var store = new FakeStore([Waiting("c1", "node-a", 1), Waiting("c2", "node-b", 2)], [Agent("node-b", "1001")]);
        var (assigned, _) = await new QueueOwner(store).RunAsync(Lease, Queue(OwnerStrategy.LongestIdle, "1001"));
        Assert.Equal([("c2", "1001")], assigned);
    }

    [Fact]
    public async Task Lowest_penalty_tier_first_then_round_robin_moves_on()
    {
        var agents = new[] { Agent("n", "a"), Agent("n", "b"), Agent("n", "c") };
        var queue = Queue(OwnerStrategy.RoundRobin, "a:1", "b", "c");
        var owner = new QueueOwner(new FakeStore([Waiting("c1", "n", 1)], agents));
        Assert.Equal([("c1", "b")], (await owner.RunAsync(Lease, queue)).Assigned);
        var next = new QueueOwner(new FakeStore([Waiting("c2", "n", 2)], agents));
        Assert.Equal([("c2", "b")], (await next.RunAsync(Lease, queue)).Assigned); // a fresh owner starts at the top
        var store = new FakeStore([Waiting("c2", "n", 2)], agents);
        owner = new QueueOwner(store);
        await owner.RunAsync(Lease, queue);
        store.Waiting = [Waiting("c3", "n", 3)];
        Assert.Equal([("c3", "c")], (await owner.RunAsync(Lease, queue)).Assigned);
    }

    [Fact]
    public async Task Fenced_stops_the_round_agent_taken_tries_the_next_agent_caller_gone_the_next_caller()
    {
        var agents = new[] { Agent("n", "a", second: 1), Agent("n", "b", second: 2), Agent("n", "c", second: 3) };
        var store = new FakeStore([Waiting("c1", "n", 1), Waiting("c2", "n", 2)], agents)
        {
            Results = { [("c1", "a")] = AssignResult.AgentTaken, [("c1", "b")] = AssignResult.CallerGone },
        };
        var (assigned, fenced) = await new QueueOwner(store).RunAsync(Lease, Queue(OwnerStrategy.LongestIdle, "a", "b", "c"));
        Assert.False(fenced);
        Assert.Equal([("c2", "b")], assigned);
        Assert.Equal(["c1:a", "c1:b", "c2:b"], store.Tried);

        store = new FakeStore([Waiting("c1", "n", 1), Waiting("c2", "n", 2)], agents) { Results = { [("c1", "a")] = AssignResult.Fenced } };
        (assigned, fenced) = await new QueueOwner(store).RunAsync(Lease, Queue(OwnerStrategy.LongestIdle, "a", "b", "c"));
        Assert.True(fenced);
        Assert.Empty(assigned);
        Assert.Equal(["c1:a"], store.Tried);
    }

    [Fact]
    public async Task Nothing_waiting_reads_no_agents()
    {
        var store = new FakeStore([Waiting("c1", "n", 1, agent: "a")], []);
        Assert.Empty((await new QueueOwner(store).RunAsync(Lease, Queue(OwnerStrategy.LongestIdle, "a"))).Assigned);
        Assert.Equal(0, store.AgentReads);
    }

    [Fact]
    public async Task An_agent_who_did_not_take_a_caller_is_skipped_for_the_no_answer_skip()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0);
        var agents = new[] { Agent("n", "a", second: 1), Agent("n", "b", second: 2) };
        var queue = Queue(OwnerStrategy.LongestIdle, "a", "b") with { NoAnswerSkip = TimeSpan.FromSeconds(30) };
        var store = new FakeStore([Waiting("c1", "n", 1)], agents);
        var owner = new QueueOwner(store, time);
        Assert.Equal([("c1", "a")], (await owner.RunAsync(Lease, queue)).Assigned);
        store.Waiting = [Waiting("c1", "n", 1, agent: "a")];
        Assert.Empty((await owner.RunAsync(Lease, queue)).Assigned);

        store.Waiting = [Waiting("c1", "n", 1)]; // handed back: a did not answer
        Assert.Equal([("c1", "b")], (await owner.RunAsync(Lease, queue)).Assigned);
        store.Waiting = [Waiting("c1", "n", 1), Waiting("c2", "n", 2)]; // b did not answer either: nobody for 30 s
        Assert.Empty((await owner.RunAsync(Lease, queue)).Assigned);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal([("c1", "a"), ("c2", "b")], (await owner.RunAsync(Lease, queue)).Assigned);
    }

    [Fact]
    public async Task A_callback_takes_its_place_by_original_arrival_and_is_assigned_only_once_due()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0.AddSeconds(10));
        var callback = new ClusterCall("cb1", "node-a", null, null, T0, "q", 0, T0.AddSeconds(1), 9, IsCallback: true, NotBefore: T0.AddSeconds(20));
        var store = new FakeStore([Waiting("c2", "node-b", 2), callback],
            [Agent("node-a", "a", second: 1), Agent("node-b", "a", second: 1)]);
        var owner = new QueueOwner(store, time);
        var queue = Queue(OwnerStrategy.LongestIdle, "a");
        Assert.Equal([("c2", "a")], (await owner.RunAsync(Lease, queue)).Assigned); // not due yet: the caller behind it goes first

        store.Waiting = [Waiting("c3", "node-b", 3), callback];
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([("cb1", "a")], (await owner.RunAsync(Lease, queue)).Assigned); // due: first by arrival, on its node
        Assert.Equal(["c2:a", "cb1:a"], store.Tried);
    }

    private sealed class FakeStore(IReadOnlyList<ClusterCall> waiting, IReadOnlyList<ClusterAgentState> agents, IReadOnlyList<string>? assigned = null)
        : IQueueOwnerStore
    {
        public IReadOnlyList<ClusterCall> Waiting { get; set; } = waiting;
        public Dictionary<(string, string), AssignResult> Results { get; } = [];
        public List<string> Tried { get; } = [];
        public int AgentReads { get; private set; }

        public Task<IReadOnlyList<ClusterCall>> WaitingAsync(string queue, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<ClusterCall>>([.. Waiting.Order(Comparer<ClusterCall>.Create(ClusterCall.CompareWaitingOrder))]);

        public Task<ClusterAgents> AgentsAsync(CancellationToken ct)
        {
            AgentReads++;
            return Task.FromResult(new ClusterAgents(agents, assigned ?? []));
        }

        public Task<AssignResult> TryAssignAsync(QueueLease lease, string callId, string agent, CancellationToken ct)
        {
            Tried.Add(callId + ":" + agent);
            return Task.FromResult(Results.GetValueOrDefault((callId, agent), AssignResult.Assigned));
        }
    }
}
