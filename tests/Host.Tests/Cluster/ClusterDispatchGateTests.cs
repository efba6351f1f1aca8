using Telephony.Cluster.Leases;
using Telephony.Host.Cluster;
using Telephony.Pbx.Queues;

namespace Telephony.Host.Tests.Cluster;

/// <summary>The cluster node's dispatch gate: callers ring only what the owner assigned, a hand-back hides the assignment
/// until it is written and the assignments read again, callbacks are governed like callers (their id is their row's).</summary>
public sealed class ClusterDispatchGateTests
{
    private static QueueAssignment Assigned(string call, string agent) => new("support", call, "node-a", agent, 3);

    [Fact]
    public void A_caller_waits_until_its_call_is_assigned_then_gets_that_agent()
    {
        var gate = new ClusterDispatchGate();
        gate.Track("call-1", "i-1");
        Assert.False(gate.DispatchesLocally("i-1", "support", QueueEntryKind.Caller, out var agent));
        Assert.Null(agent);

        Assert.True(gate.Update([Assigned("call-1", "1001"), Assigned("call-unknown", "1002")], []));
        Assert.False(gate.DispatchesLocally("i-1", "support", QueueEntryKind.Caller, out agent));
        Assert.Equal("1001", agent);
        Assert.False(gate.Update([Assigned("call-1", "1001")], [])); // nothing new
    }

    [Fact]
    public void A_hand_back_hides_the_assignment_until_written_and_read_again()
    {
        var gate = new ClusterDispatchGate();
        gate.Track("call-1", "i-1");
        gate.Update([Assigned("call-1", "1001")], []);
        gate.Released("i-1", "1001");
        gate.Released("i-1", "1001"); // once
        Assert.False(gate.DispatchesLocally("i-1", "support", QueueEntryKind.Caller, out var agent));
        Assert.Null(agent);

        var written = gate.TakeReleases();
        Assert.Equal([("i-1", "call-1", "1001")], written);
        Assert.True(gate.Update([Assigned("call-1", "1001")], written)); // the owner chose 1001 again
        Assert.False(gate.DispatchesLocally("i-1", "support", QueueEntryKind.Caller, out agent));
        Assert.Equal("1001", agent);
    }

    [Fact]
    public void A_failed_write_is_taken_again_callbacks_wait_for_their_assignment_and_ended_calls_are_forgotten()
    {
        var gate = new ClusterDispatchGate();
        gate.Track("call-1", "i-1");
        gate.Released("i-1", "1001");
        gate.Requeue(gate.TakeReleases());
        Assert.Single(gate.TakeReleases());

        gate.Track("cb-1", "cb-1");
        Assert.False(gate.DispatchesLocally("cb-1", "support", QueueEntryKind.Callback, out var cbAgent));
        Assert.Null(cbAgent);
        gate.Update([Assigned("cb-1", "1002")], []);
        Assert.False(gate.DispatchesLocally("cb-1", "support", QueueEntryKind.Callback, out cbAgent));
        Assert.Equal("1002", cbAgent);
        gate.Released("cb-1", "1002");
        Assert.Equal([("cb-1", "cb-1", "1002")], gate.TakeReleases());
        gate.Forget("call-1");
        gate.Update([Assigned("call-1", "1001")], []);
        Assert.False(gate.DispatchesLocally("i-1", "support", QueueEntryKind.Caller, out var agent));
        Assert.Null(agent);
    }
}
