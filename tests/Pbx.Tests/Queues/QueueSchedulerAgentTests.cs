using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

public sealed class QueueSchedulerAgentTests
{
    private static QueueHarness Connected(QueueConfig q, string agent = "a", string call = "c1")
    {
        var h = new QueueHarness(q);
        h.Login(agent);
        h.Arrive(call, q.Name);
        h.Answer(agent);
        return h;
    }

    [Fact]
    public void Wrap_up_holds_the_agent_for_the_configured_seconds()
    {
        var h = Connected(Queue("q", QueueStrategy.LongestIdle, "a") with { WrapUp = TimeSpan.FromSeconds(15) });
        h.Do(new AgentCallEnded("c1"));
        Assert.Equal(AgentState.WrapUp, h.Agent("a"));
        Assert.Empty(Rings(h.Arrive("c2", "q")));
        Assert.Empty(Rings(h.Advance(14)));
        Assert.Equal(AgentState.WrapUp, h.Agent("a"));
        Assert.Equal(["a:c2"], Rings(h.Advance(1)));
    }

    [Fact]
    public void Zero_wrap_up_makes_the_agent_available_at_once()
    {
        var h = Connected(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Arrive("c2", "q");
        Assert.Equal(["a:c2"], Rings(h.Do(new AgentCallEnded("c1"))));
    }

    [Fact]
    public void Paused_agent_gets_no_calls_until_resumed()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Login("a");
        var changed = Assert.Single(h.Do(new AgentPaused("a", "lunch")).OfType<AgentStateChanged>());
        Assert.Equal((AgentState.Available, AgentState.Paused, "lunch"), (changed.From, changed.To, changed.PauseReason));
        Assert.Empty(Rings(h.Arrive("c1", "q")));
        Assert.Equal("lunch", h.Scheduler.Snapshot().FindAgent("a")!.PauseReason);
        Assert.Equal(["a:c1"], Rings(h.Do(new AgentResumed("a"))));
    }

    [Fact]
    public void Pausing_a_ringing_agent_cancels_the_offer_and_requeues_the_caller()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a", "b"));
        h.Login("a");
        h.Arrive("c1", "q");
        var actions = h.Do(new AgentPaused("a", "break"));
        Assert.Equal(CancelReason.AgentPaused, Assert.Single(actions.OfType<CancelRing>()).Reason);
        Assert.Equal(AgentState.Paused, h.Agent("a"));
        Assert.Equal(CallState.Waiting, h.Call("c1"));
        Assert.Equal(["b:c1"], Rings(h.Do(new AgentLoggedIn("b"))));
    }

    [Fact]
    public void Pause_during_a_call_applies_after_wrap_up()
    {
        var h = Connected(Queue("q", QueueStrategy.LongestIdle, "a") with { WrapUp = TimeSpan.FromSeconds(5) });
        h.Do(new AgentPaused("a", "training"));
        Assert.Equal(AgentState.OnCall, h.Agent("a"));
        h.Do(new AgentCallEnded("c1"));
        Assert.Equal(AgentState.WrapUp, h.Agent("a"));
        h.Advance(5);
        Assert.Equal(AgentState.Paused, h.Agent("a"));
        Assert.Equal("training", h.Scheduler.Snapshot().FindAgent("a")!.PauseReason);
    }

    [Fact]
    public void Resume_withdraws_a_pending_pause()
    {
        var h = Connected(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Do(new AgentPaused("a", "training"));
        h.Do(new AgentResumed("a"));
        h.Do(new AgentCallEnded("c1"));
        Assert.Equal(AgentState.Available, h.Agent("a"));
    }

    [Fact]
    public void Pause_during_wrap_up_ends_wrap_up()
    {
        var h = Connected(Queue("q", QueueStrategy.LongestIdle, "a") with { WrapUp = TimeSpan.FromSeconds(30) });
        h.Do(new AgentCallEnded("c1"));
        h.Do(new AgentPaused("a", "break"));
        Assert.Equal(AgentState.Paused, h.Agent("a"));
        h.Advance(60);
        Assert.Equal(AgentState.Paused, h.Agent("a"));
    }

    [Fact]
    public void Logout_during_a_call_takes_effect_when_the_call_ends()
    {
        var h = Connected(Queue("q", QueueStrategy.LongestIdle, "a") with { WrapUp = TimeSpan.FromSeconds(30) });
        h.Do(new AgentLoggedOut("a"));
        Assert.Equal(AgentState.OnCall, h.Agent("a"));
        Assert.True(h.Scheduler.Snapshot().FindAgent("a")!.LogoutPending);
        h.Do(new AgentCallEnded("c1"));
        Assert.Equal(AgentState.LoggedOut, h.Agent("a"));
    }

    [Fact]
    public void Logging_out_a_ringing_agent_cancels_the_offer()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Login("a");
        h.Arrive("c1", "q");
        var cancel = Assert.Single(h.Do(new AgentLoggedOut("a")).OfType<CancelRing>());
        Assert.Equal(CancelReason.AgentLoggedOut, cancel.Reason);
        Assert.Equal(CallState.Waiting, h.Call("c1"));
        Assert.Equal(AgentState.LoggedOut, h.Agent("a"));
    }

    [Fact]
    public void Commands_that_do_not_apply_are_reported_as_ignored()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        Assert.IsType<CommandIgnored>(Assert.Single(h.Do(new AgentPaused("a", "x"))));
        Assert.IsType<CommandIgnored>(Assert.Single(h.Do(new AgentLoggedOut("a"))));
        h.Login("a");
        Assert.IsType<CommandIgnored>(Assert.Single(h.Do(new AgentLoggedIn("a"))));
        Assert.IsType<CommandIgnored>(Assert.Single(h.Do(new AgentResumed("a"))));
        Assert.IsType<CommandIgnored>(Assert.Single(h.Do(new CallerHungUp("nobody"))));
        Assert.Contains(h.Do(new AgentRingResult(999, RingOutcome.NoAnswer)), a => a is CommandIgnored);
    }

    [Fact]
    public void Agent_not_in_any_queue_can_log_in_but_gets_no_calls()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Login("z");
        Assert.Equal(AgentState.Available, h.Agent("z"));
        Assert.Empty(Rings(h.Arrive("c1", "q")));
    }
}
