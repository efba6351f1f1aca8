using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

public sealed class QueueSchedulerRingTests
{
    [Fact]
    public void Ring_timeout_cancels_and_rings_the_next_agent()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RoundRobin, "a", "b"));
        h.Login("a", "b");
        h.Arrive("c1", "q");
        Assert.Empty(h.Advance(19).OfType<CancelRing>());
        var actions = h.Advance(1);
        var cancel = Assert.Single(actions.OfType<CancelRing>());
        Assert.Equal(("a", CancelReason.RingTimeout), (cancel.Agent, cancel.Reason));
        Assert.Equal(["b:c1"], Rings(actions));
    }

    [Fact]
    public void Ring_timeout_deadline_is_the_next_deadline()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Login("a");
        h.Arrive("c1", "q");
        Assert.Equal(Start + TimeSpan.FromSeconds(20), h.Scheduler.NextDeadline);
    }

    [Fact]
    public void No_answer_agent_is_skipped_for_the_skip_window_by_every_queue()
    {
        var skip = TimeSpan.FromSeconds(60);
        var h = new QueueHarness(
            Queue("q", QueueStrategy.LongestIdle, "a", "b") with { NoAnswerSkip = skip },
            Queue("other", QueueStrategy.LongestIdle, "a"));
        h.Login("a");
        h.Advance(1);
        h.Login("b");
        Assert.Equal(["a:c1"], Rings(h.Arrive("c1", "q")));
        Assert.Equal(["b:c1"], Rings(h.Fail("a", RingOutcome.NoAnswer)));
        h.Answer("b");
        Assert.Equal(AgentState.Available, h.Agent("a"));
        Assert.NotNull(h.Scheduler.Snapshot().FindAgent("a")!.SkippedUntil);
        Assert.Empty(Rings(h.Arrive("o1", "other")));
        Assert.Empty(Rings(h.Advance(59)));
        Assert.Equal(["a:o1"], Rings(h.Advance(1)));
    }

    [Fact]
    public void Only_agent_who_timed_out_is_rung_again_after_the_skip_window()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a") with { NoAnswerSkip = TimeSpan.FromSeconds(30) });
        h.Login("a");
        h.Arrive("c1", "q");
        var timeout = h.Advance(20);
        Assert.Single(timeout.OfType<CancelRing>());
        Assert.Empty(Rings(timeout));
        Assert.Equal(CallState.Waiting, h.Call("c1"));
        Assert.Equal(["a:c1"], Rings(h.Advance(30)));
    }

    [Theory]
    [InlineData(RingOutcome.Busy)]
    [InlineData(RingOutcome.Rejected)]
    [InlineData(RingOutcome.NoAnswer)]
    public void Failed_ring_is_not_cancelled_again_and_goes_to_next_agent(RingOutcome outcome)
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RoundRobin, "a", "b") with { NoAnswerSkip = TimeSpan.FromSeconds(10) });
        h.Login("a", "b");
        h.Arrive("c1", "q");
        var actions = h.Fail("a", outcome);
        Assert.Empty(actions.OfType<CancelRing>());
        Assert.Equal(["b:c1"], Rings(actions));
    }

    [Fact]
    public void Caller_hanging_up_while_ring_all_cancels_every_leg_and_restores_agents()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RingAll, "a", "b", "c") with { NoAnswerSkip = TimeSpan.FromMinutes(1) });
        h.Login("a", "b", "c");
        h.Arrive("c1", "q");
        var actions = h.Do(new CallerHungUp("c1"));
        Assert.Equal(["a", "b", "c"], actions.OfType<CancelRing>().Select(c => c.Agent));
        Assert.All(actions.OfType<CancelRing>(), c => Assert.Equal(CancelReason.CallerHungUp, c.Reason));
        Assert.Single(actions.OfType<CallAbandoned>());
        Assert.All(["a", "b", "c"], a => Assert.Equal(AgentState.Available, h.Agent(a)));
        // Not marked as no-answer: the next caller rings all three at once.
        Assert.Equal(["a:c2", "b:c2", "c:c2"], Rings(h.Arrive("c2", "q")));
    }

    [Fact]
    public void Late_answer_after_cancel_is_released_and_does_not_bridge()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RingAll, "a", "b"));
        h.Login("a", "b");
        h.Arrive("c1", "q");
        var offerA = h.LastRing("a").OfferId;
        h.Answer("b");
        var actions = h.Do(new AgentRingResult(offerA, RingOutcome.Answered));
        var release = Assert.Single(actions.OfType<ReleaseAgentLeg>());
        Assert.Equal(("a", offerA), (release.Agent, release.OfferId));
        Assert.Empty(actions.OfType<BridgeCallToAgent>());
        Assert.Equal(AgentState.Available, h.Agent("a"));
    }

    [Fact]
    public void Duplicate_answer_for_the_same_offer_does_not_bridge_twice()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Login("a");
        h.Arrive("c1", "q");
        Assert.Single(h.Answer("a").OfType<BridgeCallToAgent>());
        Assert.Empty(h.Answer("a").OfType<BridgeCallToAgent>());
        Assert.Equal(CallState.Connected, h.Call("c1"));
    }

    [Fact]
    public void Answered_call_stays_connected_past_its_ring_deadline()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Login("a");
        h.Arrive("c1", "q");
        h.Answer("a");
        Assert.Empty(h.Advance(3600).OfType<CancelRing>());
        Assert.Equal(CallState.Connected, h.Call("c1"));
    }

    [Fact]
    public void Caller_hanging_up_while_connected_ends_the_call()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Login("a");
        h.Arrive("c1", "q");
        h.Answer("a");
        h.Advance(42);
        var completed = Assert.Single(h.Do(new CallerHungUp("c1")).OfType<CallCompleted>());
        Assert.Equal(TimeSpan.FromSeconds(42), completed.TalkTime);
        Assert.Null(h.Call("c1"));
        Assert.Equal(AgentState.Available, h.Agent("a"));
        Assert.IsType<CommandIgnored>(Assert.Single(h.Do(new AgentCallEnded("c1"))));
    }
}
