using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

/// <summary>A cluster node's scheduler (<see cref="IQueueDispatchGate"/>): it rings only what the queue owner assigned,
/// and hands back every assignment whose offer ends unanswered.</summary>
public sealed class QueueSchedulerGateTests
{
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeGate _gate = new();

    private QueueScheduler Scheduler(QueueStrategy strategy = QueueStrategy.LongestIdle, params string[] members) =>
        new(new QueuesConfig { Queues = [Queue("q", strategy, members.Length == 0 ? ["a", "b"] : members)] }, _time, gate: _gate);

    [Fact]
    public void A_governed_caller_waits_until_assigned_then_rings_only_the_assigned_agent()
    {
        var s = Scheduler();
        s.Process(new AgentLoggedIn("a"));
        s.Process(new AgentLoggedIn("b"));
        Assert.Empty(s.Process(new CallArrived("c1", "q", 0)).OfType<RingAgent>());
        Assert.Equal(CallState.Waiting, s.GetCallState("c1"));

        _gate.Assigned["c1"] = "b";
        var ring = Assert.Single(s.Tick().OfType<RingAgent>());
        Assert.Equal(("b", "c1"), (ring.Agent, ring.InteractionId));
        Assert.Equal(AgentState.Available, s.GetAgentState("a"));
    }

    [Fact]
    public void No_answer_and_ring_timeout_hand_the_assignment_back()
    {
        var s = Scheduler();
        s.Process(new AgentLoggedIn("a"));
        _gate.Assigned["c1"] = "a";
        var ring = Assert.Single(s.Process(new CallArrived("c1", "q", 0)).OfType<RingAgent>());
        _gate.Assigned.Clear();
        s.Process(new AgentRingResult(ring.OfferId, RingOutcome.NoAnswer));
        Assert.Equal(["c1:a"], _gate.Log);
        Assert.Equal(CallState.Waiting, s.GetCallState("c1"));

        _gate.Assigned["c1"] = "a";
        Assert.Single(s.Tick().OfType<RingAgent>());
        _gate.Assigned.Clear();
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Single(s.Tick().OfType<CancelRing>());
        Assert.Equal(["c1:a", "c1:a"], _gate.Log);
    }

    [Fact]
    public void An_answer_keeps_the_assignment_and_a_caller_hanging_up_while_ringing_releases_it()
    {
        var s = Scheduler();
        s.Process(new AgentLoggedIn("a"));
        s.Process(new AgentLoggedIn("b"));
        _gate.Assigned["c1"] = "a";
        _gate.Assigned["c2"] = "b";
        s.Process(new CallArrived("c1", "q", 0));
        var ring = Assert.Single(s.Process(new CallArrived("c2", "q", 0)).OfType<RingAgent>(), r => r.InteractionId == "c2");
        var first = s.Snapshot();
        Assert.Equal(2, first.Agents.Count(a => a.State == AgentState.Ringing));
        s.Process(new AgentRingResult(ring.OfferId, RingOutcome.Answered));
        s.Process(new CallerHungUp("c1"));
        Assert.Equal(["c1:a"], _gate.Log);
        Assert.Equal(AgentState.OnCall, s.GetAgentState("b"));
    }

    [Fact]
    public void An_assigned_agent_not_free_here_is_handed_back_at_once()
    {
        var s = Scheduler();
        _gate.Assigned["c1"] = "a"; // not logged in on this node
        Assert.Empty(s.Process(new CallArrived("c1", "q", 0)).OfType<RingAgent>());
        Assert.Equal(["c1:a"], _gate.Log);
        _gate.Log.Clear();
        _gate.Assigned["c1"] = "z"; // not a member of q
        Assert.Empty(s.Tick().OfType<RingAgent>());
        Assert.Equal(["c1:z"], _gate.Log);
    }

    [Fact]
    public void Entries_the_gate_leaves_local_are_dispatched_as_on_a_single_server()
    {
        var s = Scheduler();
        _gate.Local.Add("cb1");
        s.Process(new AgentLoggedIn("a"));
        var ring = Assert.Single(s.Process(new CallArrived("cb1", "q", 0)).OfType<RingAgent>());
        Assert.Equal("a", ring.Agent);
        s.Process(new AgentRingResult(ring.OfferId, RingOutcome.NoAnswer));
        Assert.Empty(_gate.Log);
    }

    private sealed class FakeGate : IQueueDispatchGate
    {
        public Dictionary<string, string> Assigned { get; } = [];
        public HashSet<string> Local { get; } = [];
        public List<string> Log { get; } = [];

        public bool DispatchesLocally(string interactionId, string queue, QueueEntryKind kind, out string? agent)
        {
            agent = Assigned.GetValueOrDefault(interactionId);
            return Local.Contains(interactionId);
        }

        public void Released(string interactionId, string agent)
        {
            Log.Add(interactionId + ":" + agent);
            Assigned.Remove(interactionId);
        }
    }
}
