using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

public sealed class QueueSchedulerOverflowTests
{
    [Fact]
    public void Max_wait_overflows_to_a_transfer_target()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a") with
        {
            MaxWait = TimeSpan.FromSeconds(60),
            Overflow = OverflowTarget.TransferTo("+15551234"),
        });
        h.Arrive("c1", "q");
        Assert.Empty(h.Advance(59).OfType<CallOverflowed>());
        var o = Assert.Single(h.Advance(1).OfType<CallOverflowed>());
        Assert.Equal((OverflowKind.Transfer, "+15551234", TimeSpan.FromSeconds(60)), (o.Target.Kind, o.Target.Target, o.Waited));
        Assert.Null(h.Call("c1"));
    }

    [Fact]
    public void Max_wait_overflows_to_goodbye_and_hangup()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a") with
        {
            MaxWait = TimeSpan.FromSeconds(30),
            Overflow = OverflowTarget.Goodbye("en/goodbye"),
        });
        h.Arrive("c1", "q");
        var o = Assert.Single(h.Advance(45).OfType<CallOverflowed>());
        Assert.Equal(OverflowTarget.Goodbye("en/goodbye"), o.Target);
        Assert.Equal(TimeSpan.FromSeconds(30), o.Waited);
    }

    [Fact]
    public void Callers_own_max_wait_replaces_the_queues_and_hands_the_caller_back()
    {
        var h = new QueueHarness(
            Queue("support", QueueStrategy.LongestIdle, "a") with { MaxWait = TimeSpan.FromSeconds(300), Overflow = OverflowTarget.ToQueue("operator") },
            Queue("operator", QueueStrategy.RingAll, "b"));
        h.Do(new CallArrived("own", "support", 0, MaxWait: TimeSpan.FromSeconds(20)));
        h.Arrive("queue", "support");
        Assert.Empty(h.Advance(19).OfType<CallOverflowed>());
        var o = Assert.Single(h.Advance(1).OfType<CallOverflowed>());
        Assert.Equal(("own", OverflowTarget.ToApplication, TimeSpan.FromSeconds(20)), (o.InteractionId, o.Target, o.Waited));
        Assert.Null(h.Call("own"));
        Assert.Equal(CallState.Waiting, h.Call("queue"));
        var moved = Assert.Single(h.Advance(280).OfType<CallOverflowed>());
        Assert.Equal(("queue", OverflowTarget.ToQueue("operator")), (moved.InteractionId, moved.Target));
    }

    [Fact]
    public void Callers_own_max_wait_applies_when_the_queue_has_none()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Do(new CallArrived("c1", "q", 0, MaxWait: TimeSpan.FromSeconds(5)));
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromSeconds(5), h.Scheduler.NextDeadline);
        var o = Assert.Single(h.Advance(5).OfType<CallOverflowed>());
        Assert.Equal(OverflowKind.Application, o.Target.Kind);
    }

    [Fact]
    public void Zero_own_max_wait_means_the_queues()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a") with { MaxWait = TimeSpan.FromSeconds(60), Overflow = OverflowTarget.HangUp });
        h.Do(new CallArrived("c1", "q", 0, MaxWait: TimeSpan.Zero));
        Assert.Empty(h.Advance(59).OfType<CallOverflowed>());
        Assert.Equal(OverflowKind.Hangup, Assert.Single(h.Advance(1).OfType<CallOverflowed>()).Target.Kind);
    }

    [Fact]
    public void Own_max_wait_passing_while_ringing_overflows_when_the_ring_round_ends()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a") with { RingTimeout = TimeSpan.FromSeconds(15) });
        h.Login("a");
        Assert.Equal(["a:c1"], Rings(h.Do(new CallArrived("c1", "q", 0, MaxWait: TimeSpan.FromSeconds(10)))));
        Assert.Empty(h.Advance(10).OfType<CallOverflowed>());
        var o = Assert.Single(h.Advance(5).OfType<CallOverflowed>());
        Assert.Equal(OverflowKind.Application, o.Target.Kind);
        Assert.Equal(AgentState.Available, h.Agent("a"));
    }

    [Fact]
    public void Overflow_to_another_queue_moves_the_caller_and_restarts_max_wait()
    {
        var h = new QueueHarness(
            Queue("support", QueueStrategy.LongestIdle, "a") with { MaxWait = TimeSpan.FromSeconds(60), Overflow = OverflowTarget.ToQueue("operator") },
            Queue("operator", QueueStrategy.RingAll, "b") with { MaxWait = TimeSpan.FromSeconds(30), Overflow = OverflowTarget.HangUp });
        h.Arrive("c1", "support");
        var moved = Assert.Single(h.Advance(60).OfType<CallOverflowed>());
        Assert.Equal(OverflowTarget.ToQueue("operator"), moved.Target);
        Assert.Equal(CallState.Waiting, h.Call("c1"));
        Assert.Equal("operator", h.Scheduler.Snapshot().FindCall("c1")!.Queue);
        Assert.Equal(["b:c1"], Rings(h.Do(new AgentLoggedIn("b"))));
        h.Do(new AgentLoggedOut("b"));
        Assert.Empty(h.Advance(29).OfType<CallOverflowed>());
        var last = Assert.Single(h.Advance(1).OfType<CallOverflowed>());
        Assert.Equal(OverflowKind.Hangup, last.Target.Kind);
        Assert.Null(h.Call("c1"));
    }

    [Fact]
    public void Overflowed_caller_keeps_its_arrival_time_for_ordering()
    {
        var h = new QueueHarness(
            Queue("support", QueueStrategy.LongestIdle, "a") with { MaxWait = TimeSpan.FromSeconds(60), Overflow = OverflowTarget.ToQueue("operator") },
            Queue("operator", QueueStrategy.LongestIdle, "b"));
        h.Arrive("early", "support");
        h.Advance(30);
        h.Arrive("op", "operator");
        h.Advance(30);
        Assert.Equal(["b:early"], Rings(h.Do(new AgentLoggedIn("b"))));
    }

    [Fact]
    public void Overflow_loops_between_queues_end_in_hangup_after_max_hops()
    {
        var h = new QueueHarness(
            Queue("x", QueueStrategy.LongestIdle, "a") with { MaxWait = TimeSpan.FromSeconds(10), Overflow = OverflowTarget.ToQueue("y") },
            Queue("y", QueueStrategy.LongestIdle, "a") with { MaxWait = TimeSpan.FromSeconds(10), Overflow = OverflowTarget.ToQueue("x") });
        h.Arrive("c1", "x");
        var actions = h.Advance(3600).OfType<CallOverflowed>().ToList();
        Assert.Equal(QueueScheduler.MaxOverflowHops + 1, actions.Count);
        Assert.Equal(OverflowTarget.HangUp, actions[^1].Target);
        Assert.Null(h.Call("c1"));
    }

    [Fact]
    public void Max_wait_during_a_ring_overflows_only_if_the_ring_goes_unanswered()
    {
        var q = Queue("q", QueueStrategy.LongestIdle, "a") with { MaxWait = TimeSpan.FromSeconds(30), Overflow = OverflowTarget.HangUp };
        var h = new QueueHarness(q);
        h.Arrive("c1", "q");
        h.Advance(25);
        h.Login("a");
        Assert.Empty(h.Advance(10).OfType<CallOverflowed>());
        Assert.Equal(CallState.Offering, h.Call("c1"));
        var timeout = h.Advance(10);
        Assert.Single(timeout.OfType<CancelRing>());
        Assert.Single(timeout.OfType<CallOverflowed>());

        var h2 = new QueueHarness(q);
        h2.Arrive("c1", "q");
        h2.Advance(25);
        h2.Login("a");
        h2.Advance(10);
        h2.Answer("a");
        Assert.Empty(h2.Advance(60).OfType<CallOverflowed>());
        Assert.Equal(CallState.Connected, h2.Call("c1"));
    }

    [Fact]
    public void Position_and_estimated_wait_are_announced_at_the_interval()
    {
        var q = Queue("q", QueueStrategy.LongestIdle, "a", "b") with
        {
            AnnounceInterval = TimeSpan.FromSeconds(30),
            DefaultHandleTime = TimeSpan.FromSeconds(120),
        };
        var h = new QueueHarness(q);
        h.Login("a", "b");
        h.Arrive("busy1", "q");
        h.Answer("a");
        h.Arrive("busy2", "q");
        h.Answer("b");
        h.Arrive("c1", "q");
        h.Advance(10);
        h.Arrive("c2", "q", 5);
        h.Arrive("c3", "q");
        Assert.Empty(h.Advance(19).OfType<AnnouncePosition>());
        // c1 is due at t=30: position 2 (behind the priority-5 caller), 2 staffed agents, AHT 120 s: ceil(2/2) x 120.
        var first = Assert.Single(h.Advance(1).OfType<AnnouncePosition>());
        Assert.Equal(("c1", 2, TimeSpan.FromSeconds(120)), (first.InteractionId, first.Position, first.EstimatedWait));
        var next = h.Advance(10).OfType<AnnouncePosition>().ToList();
        Assert.Equal(["c2:1:120", "c3:3:240"], next.Select(a => $"{a.InteractionId}:{a.Position}:{a.EstimatedWait!.Value.TotalSeconds}"));
        Assert.Single(h.Advance(20).OfType<AnnouncePosition>(), a => a.InteractionId == "c1");
    }

    [Fact]
    public void Estimated_wait_uses_recent_handle_times_including_wrap_up()
    {
        var q = Queue("q", QueueStrategy.LongestIdle, "a") with
        {
            AnnounceInterval = TimeSpan.FromSeconds(10),
            WrapUp = TimeSpan.FromSeconds(20),
            DefaultHandleTime = TimeSpan.FromSeconds(999),
        };
        var h = new QueueHarness(q);
        h.Login("a");
        h.Arrive("first", "q");
        h.Answer("a");
        h.Advance(40);
        h.Do(new AgentCallEnded("first")); // handle time 40 + 20 = 60 s
        h.Arrive("second", "q");
        h.Advance(5);
        h.Arrive("c1", "q");
        // 'second' (t=50): position 1 of 1 staffed agent -> 1 x 60 s; c1 (t=55): position 2 -> 2 x 60 s.
        var a = h.Advance(10).OfType<AnnouncePosition>().ToList();
        Assert.Equal(["second:60", "c1:120"], a.Select(x => $"{x.InteractionId}:{x.EstimatedWait!.Value.TotalSeconds}"));
        Assert.Equal(TimeSpan.FromSeconds(60), h.Scheduler.Snapshot().Queues[0].AverageHandleTime);
    }

    [Fact]
    public void Announcement_without_staffed_agents_has_no_estimate()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a") with { AnnounceInterval = TimeSpan.FromSeconds(30) });
        h.Arrive("c1", "q");
        var a = Assert.Single(h.Advance(30).OfType<AnnouncePosition>());
        Assert.Equal(1, a.Position);
        Assert.Null(a.EstimatedWait);
    }

    [Fact]
    public void Caller_who_hangs_up_while_waiting_is_recorded_as_abandoned()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Arrive("c0", "q");
        h.Arrive("c1", "q");
        h.Advance(75);
        var abandoned = Assert.Single(h.Do(new CallerHungUp("c1")).OfType<CallAbandoned>());
        Assert.Equal(("c1", "q", TimeSpan.FromSeconds(75), 2), (abandoned.InteractionId, abandoned.Queue, abandoned.Waited, abandoned.Position));
        Assert.Null(h.Call("c1"));
        Assert.Equal(CallState.Waiting, h.Call("c0"));
    }

    [Fact]
    public void Interaction_can_requeue_after_its_call_ended()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"), Queue("r", QueueStrategy.LongestIdle, "b"));
        h.Login("a", "b");
        h.Arrive("i1", "q");
        h.Answer("a");
        h.Do(new AgentCallEnded("i1")); // the agent transferred the caller to queue r
        Assert.Equal(["b:i1"], Rings(h.Arrive("i1", "r")));
    }

    [Fact]
    public void Config_change_retires_removed_queues_after_their_callers_leave()
    {
        var a = Queue("a", QueueStrategy.LongestIdle, "x");
        var b = Queue("b", QueueStrategy.LongestIdle, "x");
        var h = new QueueHarness(a, b);
        h.Arrive("c1", "b");
        h.Do(new ConfigChanged(new QueuesConfig { Queues = [a with { RingTimeout = TimeSpan.FromSeconds(5) }] }));
        Assert.True(h.Scheduler.Snapshot().Queues.Single(q => q.Name == "b").Retired);
        Assert.IsType<CallRejected>(Assert.Single(h.Arrive("c2", "b")));
        Assert.Equal(["x:c1"], Rings(h.Do(new AgentLoggedIn("x"))));
        h.Answer("x");
        h.Do(new AgentCallEnded("c1"));
        Assert.Equal(["a"], h.Scheduler.Snapshot().Queues.Select(q => q.Name));
        Assert.Equal(TimeSpan.FromSeconds(5), Assert.Single(h.Arrive("c3", "a").OfType<RingAgent>()).RingTimeout);
    }
}
