using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

public sealed class QueueSchedulerOrderingTests
{
    [Fact]
    public void Caller_waits_until_an_agent_logs_in_then_is_rung()
    {
        var h = new QueueHarness(Queue("support", QueueStrategy.LongestIdle, "1001"));
        Assert.Empty(Rings(h.Arrive("c1", "support")));
        Assert.Equal(CallState.Waiting, h.Call("c1"));
        var actions = h.Do(new AgentLoggedIn("1001"));
        var ring = Assert.Single(actions.OfType<RingAgent>());
        Assert.Equal(("1001", "c1", "support"), (ring.Agent, ring.InteractionId, ring.Queue));
        Assert.Equal(TimeSpan.FromSeconds(20), ring.RingTimeout);
        Assert.Equal(CallState.Offering, h.Call("c1"));
        Assert.Equal(AgentState.Ringing, h.Agent("1001"));
    }

    [Fact]
    public void Higher_priority_first_then_fifo_within_a_priority()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Arrive("low1", "q", 0);
        h.Advance(1);
        h.Arrive("high1", "q", 5);
        h.Advance(1);
        h.Arrive("low2", "q", 0);
        h.Advance(1);
        h.Arrive("high2", "q", 5);
        var order = new List<string>();
        h.Login("a");
        for (var i = 0; i < 4; i++)
        {
            var ring = h.LastRing("a");
            order.Add(ring.InteractionId);
            h.Answer("a");
            h.Do(new AgentCallEnded(ring.InteractionId));
        }
        Assert.Equal(["high1", "high2", "low1", "low2"], order);
    }

    [Fact]
    public void Vip_arriving_later_is_answered_before_two_normal_callers()
    {
        var h = new QueueHarness(Queue("support", QueueStrategy.LongestIdle, "1001"));
        h.Arrive("normal1", "support");
        h.Advance(10);
        h.Arrive("normal2", "support");
        h.Advance(10);
        h.Arrive("vip", "support", 10);
        Assert.Equal(["1001:vip"], Rings(h.Do(new AgentLoggedIn("1001"))));
    }

    [Fact]
    public void Agent_in_several_queues_gets_the_highest_effective_priority_across_queues()
    {
        var h = new QueueHarness(
            Queue("sales", QueueStrategy.LongestIdle, "a"),
            Queue("support", QueueStrategy.LongestIdle, "a"));
        h.Arrive("sales-old", "sales", 1);
        h.Advance(30);
        h.Arrive("support-new", "support", 2);
        Assert.Equal(["a:support-new"], Rings(h.Do(new AgentLoggedIn("a"))));
    }

    [Fact]
    public void Equal_priority_across_queues_goes_to_the_longest_waiting()
    {
        var h = new QueueHarness(
            Queue("sales", QueueStrategy.LongestIdle, "a"),
            Queue("support", QueueStrategy.LongestIdle, "a"));
        h.Arrive("support-1", "support");
        h.Advance(1);
        h.Arrive("sales-1", "sales");
        Assert.Equal(["a:support-1"], Rings(h.Do(new AgentLoggedIn("a"))));
    }

    [Fact]
    public void Same_instant_arrivals_are_served_in_arrival_order()
    {
        var h = new QueueHarness(Queue("x", QueueStrategy.LongestIdle, "a"), Queue("y", QueueStrategy.LongestIdle, "a"));
        h.Arrive("y1", "y");
        h.Arrive("x1", "x");
        Assert.Equal(["a:y1"], Rings(h.Do(new AgentLoggedIn("a"))));
    }

    [Fact]
    public void Aging_lets_a_long_waiting_caller_overtake_a_newer_higher_priority_caller()
    {
        // +1 per 60 s waited, at most +3: after 120 s the old caller has 0 + 2 = 2 > 1.
        var aging = new PriorityAging(TimeSpan.FromSeconds(60), 3);
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a") with { PriorityAging = aging });
        h.Arrive("old", "q", 0);
        h.Advance(120);
        h.Arrive("new", "q", 1);
        Assert.Equal(["a:old"], Rings(h.Do(new AgentLoggedIn("a"))));
    }

    [Fact]
    public void Aging_is_capped_so_emergency_priority_stays_on_top()
    {
        var aging = new PriorityAging(TimeSpan.FromSeconds(60), 3);
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a") with { PriorityAging = aging });
        h.Arrive("old", "q", 0);
        h.Advance(3600);
        h.Arrive("emergency", "q", 4);
        Assert.Equal(["a:emergency"], Rings(h.Do(new AgentLoggedIn("a"))));
        var snap = h.Scheduler.Snapshot().FindCall("old")!;
        Assert.Equal(3, snap.EffectivePriority);
    }

    [Fact]
    public void Tags_and_data_travel_to_the_agent_on_the_ring()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Login("a");
        var data = new Dictionary<string, string> { ["account"] = "12345", ["path"] = "greeting>menu>2" };
        var ring = Assert.Single(h.Do(new CallArrived("c", "q", 7, ["vip"], data)).OfType<RingAgent>());
        Assert.Equal(7, ring.BasePriority);
        Assert.Equal(["vip"], ring.Tags);
        Assert.Equal("12345", ring.Data["account"]);
    }

    [Fact]
    public void Unknown_queue_and_duplicate_interaction_are_rejected()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        Assert.IsType<CallRejected>(Assert.Single(h.Arrive("c", "nope")));
        h.Arrive("c", "q");
        Assert.IsType<CallRejected>(Assert.Single(h.Arrive("c", "q")));
    }

    [Fact]
    public void Snapshot_lists_callers_in_service_order_with_positions()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Arrive("c1", "q");
        h.Arrive("c2", "q", 3);
        h.Arrive("c3", "q");
        var q = Assert.Single(h.Scheduler.Snapshot().Queues);
        Assert.Equal(["c2", "c1", "c3"], q.Calls.Select(c => c.InteractionId));
        Assert.Equal([1, 2, 3], q.Calls.Select(c => c.Position));
    }
}
