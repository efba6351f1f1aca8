using Microsoft.Extensions.Time.Testing;
using Telephony.Cluster.Agents;
using Telephony.Cluster.Calls;
using Telephony.Cluster.Dispatch;
using Telephony.Cluster.Leases;
using Telephony.Host.Cluster;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Host.Tests.Cluster;

/// <summary>A cluster queue's owner orders its line with the queue scheduler's function: priority aging raises a long
/// waiting low-priority caller (or callback) above a newer high-priority one, exactly as on a single server.</summary>
public sealed class ClusterLineOrderTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);

    private static QueuesConfig Config(PriorityAging aging) => new()
    {
        Queues = [new QueueConfig { Name = "q", PriorityAging = aging }],
    };

    private static ClusterCall Row(string id, int priority, DateTimeOffset entered, long entry, bool callback = false) =>
        new(id, "node-a", null, null, entered, "q", priority, entered, entry, IsCallback: callback);

    [Fact]
    public void Aging_lifts_an_old_low_priority_entry_above_a_new_high_priority_one_and_ties_keep_arrival_order()
    {
        var owned = new OwnedQueue("q", [], OwnerStrategy.LongestIdle);
        var old = Row("old", 0, T0, 1, callback: true);
        var vip = Row("vip", 2, T0.AddSeconds(100), 2);
        var aged = new ClusterLineOrder(() => Config(new PriorityAging(TimeSpan.FromSeconds(60), 5)));
        var flat = new ClusterLineOrder(() => Config(PriorityAging.None));
        var now = T0.AddSeconds(180); // old waited 3 min: 0 + 3 = 3 > 2 (vip waited 80 s: 2 + 1 = 3, tie: earlier arrival)
        Assert.True(aged.Compare(owned, now, old, vip) < 0);
        Assert.True(flat.Compare(owned, now, old, vip) > 0);
        Assert.True(aged.Compare(owned, T0.AddSeconds(110), old, vip) > 0); // old 0 + 1 < vip 2 + 0
        Assert.True(aged.Compare(owned, now, Row("a", 0, T0, 5), Row("b", 0, T0, 6)) < 0);
    }

    [Fact]
    public async Task The_owner_assigns_in_the_aged_order()
    {
        var time = new FakeTimeProvider(T0.AddSeconds(180));
        var store = new Store([Row("vip", 2, T0.AddSeconds(170), 2), Row("old", 0, T0, 1, callback: true)]);
        var owner = new QueueOwner(store, time, new ClusterLineOrder(() => Config(new PriorityAging(TimeSpan.FromSeconds(60), 5))));
        var queue = new OwnedQueue("q", [new OwnedQueueMember("1001", 0)], OwnerStrategy.LongestIdle);
        var (assigned, _) = await owner.RunAsync(new QueueLease("q", "node-a", 1, T0.AddHours(1)), queue);
        Assert.Equal([("old", "1001")], assigned);
    }

    private sealed class Store(IReadOnlyList<ClusterCall> waiting) : IQueueOwnerStore
    {
        public Task<IReadOnlyList<ClusterCall>> WaitingAsync(string queue, CancellationToken ct) => Task.FromResult(waiting);

        public Task<ClusterAgents> AgentsAsync(CancellationToken ct) =>
            Task.FromResult(new ClusterAgents([new ClusterAgentState("node-a", "1001", ClusterAgentState.Available, T0)], []));

        public Task<AssignResult> TryAssignAsync(QueueLease lease, string callId, string agent, CancellationToken ct) =>
            Task.FromResult(AssignResult.Assigned);
    }
}
