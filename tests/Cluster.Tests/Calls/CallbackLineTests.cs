using Telephony.Cluster.Calls;

namespace Telephony.Cluster.Tests.Calls;

/// <summary>A node mirrors its scheduler's pending callbacks into the cluster line: only changes are written, a re-timed
/// callback or one back from its attempt releases its agent, an attempt keeps it, a gone one leaves, a row held by another
/// node is never taken over (that node may have completed it).</summary>
public sealed class CallbackLineTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);

    private static LocalCallback Cb(string id, DateTimeOffset? notBefore = null, bool attempting = false) =>
        new(id, "support", 1, T0, notBefore, attempting);

    [Fact]
    public async Task Enters_once_keeps_its_agent_while_attempting_releases_on_retry_and_leaves_when_gone()
    {
        var store = new FakeStore();
        var line = new CallbackLine("node-a", store);
        Assert.Empty(await line.SyncAsync([Cb("cb1")]));
        Assert.Empty(await line.SyncAsync([Cb("cb1")]));
        Assert.Equal(["put cb1 node-a support 1 - keep"], store.Log);

        await line.SyncAsync([Cb("cb1", attempting: true)]); // the agent answered: the row stays assigned
        Assert.Single(store.Log);
        var retry = T0.AddMinutes(5);
        await line.SyncAsync([Cb("cb1", retry)]); // customer busy: again at the same place after the retry delay, agent free
        Assert.Equal("put cb1 node-a support 1 " + retry.ToUnixTimeMilliseconds() + " release", store.Log[^1]);
        await line.SyncAsync([Cb("cb1", retry, attempting: true)]);
        await line.SyncAsync([Cb("cb1", retry)]); // a NotDialed attempt: back at once, same due time
        Assert.Equal("put cb1 node-a support 1 " + retry.ToUnixTimeMilliseconds() + " release", store.Log[^1]);
        Assert.Equal(3, store.Log.Count);

        Assert.Equal(["cb1"], await line.SyncAsync([]));
        Assert.Equal("end cb1", store.Log[^1]);
        Assert.True(line.IsEmpty);
    }

    [Fact]
    public async Task An_attempt_never_seen_waiting_writes_nothing_and_a_row_of_another_node_is_never_taken_over()
    {
        var store = new FakeStore { Refuse = { "cb2" } };
        var line = new CallbackLine("node-b", store);
        await line.SyncAsync([Cb("cb1", attempting: true), Cb("cb2")]);
        Assert.Equal(["put cb2 node-b support 1 - keep"], store.Log);
        Assert.True(line.IsEmpty);
        store.Refuse.Clear(); // node-a completed it: its row went
        await line.SyncAsync([Cb("cb2")]);
        Assert.Single(store.Log);
        Assert.Equal(["cb2"], line.HeldElsewhere);
        await line.SyncAsync([]); // gone here too: forgotten
        Assert.Empty(line.HeldElsewhere);
    }

    private sealed class FakeStore : ICallbackLineStore
    {
        public List<string> Log { get; } = [];
        public HashSet<string> Refuse { get; } = [];

        public Task<bool> PutCallbackAsync(string callbackId, string node, string queue, int priority, DateTimeOffset arrivedAt,
            DateTimeOffset? notBefore, bool release, CancellationToken ct = default)
        {
            Log.Add($"put {callbackId} {node} {queue} {priority} {(notBefore is { } n ? n.ToUnixTimeMilliseconds() : "-")} {(release ? "release" : "keep")}");
            return Task.FromResult(!Refuse.Contains(callbackId));
        }

        public Task EndAsync(string callId, CancellationToken ct = default)
        {
            Log.Add("end " + callId);
            return Task.CompletedTask;
        }
    }
}
