using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

public sealed class QueueSchedulerStrategyTests
{
    private static void Serve(QueueHarness h, string agent, string call)
    {
        h.Answer(agent);
        h.Do(new AgentCallEnded(call));
    }

    [Fact]
    public void Longest_idle_rings_the_agent_free_the_longest()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a", "b", "c"));
        h.Login("b");
        h.Advance(1);
        h.Login("a");
        h.Advance(1);
        h.Login("c");
        Assert.Equal(["b:c1"], Rings(h.Arrive("c1", "q")));
        h.Advance(5);
        Serve(h, "b", "c1"); // b is idle from now: a is now the longest idle, then c, then b
        Assert.Equal(["a:c2"], Rings(h.Arrive("c2", "q")));
        Assert.Equal(["c:c3"], Rings(h.Arrive("c3", "q")));
        Assert.Equal(["b:c4"], Rings(h.Arrive("c4", "q")));
    }

    [Fact]
    public void Longest_idle_ties_are_broken_by_member_order()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "b", "a"));
        h.Login("a", "b");
        Assert.Equal(["b:c1"], Rings(h.Arrive("c1", "q")));
    }

    [Fact]
    public void Round_robin_continues_after_the_last_agent_offered()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RoundRobin, "a", "b", "c"));
        h.Login("a", "b", "c");
        var rung = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var ring = Assert.Single(h.Arrive($"c{i}", "q").OfType<RingAgent>());
            rung.Add(ring.Agent);
            Serve(h, ring.Agent, ring.InteractionId);
        }
        Assert.Equal(["a", "b", "c", "a", "b"], rung);
    }

    [Fact]
    public void Round_robin_skips_busy_agents_without_losing_its_place()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RoundRobin, "a", "b", "c"));
        h.Login("a", "b", "c");
        Assert.Equal(["a:c1"], Rings(h.Arrive("c1", "q")));
        h.Answer("a");
        Assert.Equal(["b:c2"], Rings(h.Arrive("c2", "q")));
        h.Answer("b");
        h.Do(new AgentCallEnded("c1"));
        Assert.Equal(["c:c3"], Rings(h.Arrive("c3", "q")));
        h.Answer("c");
        Assert.Equal(["a:c4"], Rings(h.Arrive("c4", "q")));
    }

    [Fact]
    public void Ring_all_rings_everyone_and_first_answer_wins()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RingAll, "a", "b", "c"));
        h.Login("a", "b", "c");
        Assert.Equal(["a:c1", "b:c1", "c:c1"], Rings(h.Arrive("c1", "q")));
        var actions = h.Answer("b");
        var bridge = Assert.Single(actions.OfType<BridgeCallToAgent>());
        Assert.Equal("b", bridge.Agent);
        var cancels = actions.OfType<CancelRing>().ToList();
        Assert.Equal(["a", "c"], cancels.Select(c => c.Agent));
        Assert.All(cancels, c => Assert.Equal(CancelReason.AnsweredElsewhere, c.Reason));
        Assert.Equal(AgentState.Available, h.Agent("a"));
        Assert.Equal(AgentState.OnCall, h.Agent("b"));
        Assert.Equal(AgentState.Available, h.Agent("c"));
    }

    [Fact]
    public void Ring_all_losers_are_not_marked_as_no_answer()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RingAll, "a", "b") with { NoAnswerSkip = TimeSpan.FromMinutes(5) });
        h.Login("a", "b");
        h.Arrive("c1", "q");
        h.Answer("a");
        Assert.Equal(["b:c2"], Rings(h.Arrive("c2", "q")));
    }

    [Fact]
    public void Ring_all_call_returns_to_waiting_only_when_every_leg_failed()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RingAll, "a", "b"));
        h.Login("a", "b");
        h.Arrive("c1", "q");
        h.Fail("a", RingOutcome.Busy);
        Assert.Equal(CallState.Offering, h.Call("c1"));
        h.Fail("b", RingOutcome.Rejected);
        // No skip window configured: both are rung again at once.
        Assert.Equal(CallState.Offering, h.Call("c1"));
        Assert.Equal(4, h.All.OfType<RingAgent>().Count());
    }

    [Fact]
    public void Lower_penalty_agents_are_rung_first()
    {
        var q = Queue("q", QueueStrategy.RingAll, "a", "b", "c") with
        {
            Members = [new("a", 1), new("b", 0), new("c", 0)],
        };
        var h = new QueueHarness(q);
        h.Login("a", "b", "c");
        Assert.Equal(["b:c1", "c:c1"], Rings(h.Arrive("c1", "q")));
        Assert.Equal(["a:c2"], Rings(h.Arrive("c2", "q")));
    }

    [Fact]
    public void Penalty_tier_applies_to_single_ring_strategies()
    {
        var q = Queue("q", QueueStrategy.LongestIdle, "a", "b") with { Members = [new("a", 2), new("b", 0)] };
        var h = new QueueHarness(q);
        h.Login("a");
        h.Advance(60);
        h.Login("b");
        Assert.Equal(["b:c1"], Rings(h.Arrive("c1", "q")));
    }
}
