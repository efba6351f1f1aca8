using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

/// <summary>Callback entries in the single-writer scheduler (Queues/README.md, "Callbacks"): the place in line is the
/// original arrival and priority, through conversion, deferral, restart and retries.</summary>
public sealed class QueueSchedulerCallbackTests
{
    private static QueueHarness Support(params string[] agents) => new(Queue("support", QueueStrategy.LongestIdle, agents));

    /// <summary>Serves every entry in turn with agent <paramref name="agent"/> and returns the order they were rung.</summary>
    private static List<string> ServeAll(QueueHarness h, string agent, int count)
    {
        var order = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var ring = h.LastRing(agent);
            order.Add(ring.InteractionId);
            h.Answer(agent);
            h.Do(new AgentCallEnded(ring.InteractionId));
        }
        return order;
    }

    [Fact]
    public void A_caller_who_chooses_a_callback_keeps_its_place_ahead_of_later_callers()
    {
        var h = Support("1001");
        h.Arrive("first", "support");
        h.Advance(10);
        h.Arrive("second", "support");
        h.Advance(10);
        h.Arrive("third", "support");
        h.Advance(40);
        var actions = h.Do(new CallerChoseCallback("second", "cb-second", Data: new Dictionary<string, string> { ["callback_number"] = "+15550000002" }));

        var accepted = Assert.Single(actions.OfType<CallbackAccepted>());
        Assert.Equal(("cb-second", "support", "second", 2), (accepted.CallbackId, accepted.Queue, accepted.FromInteraction, accepted.Position));
        Assert.Equal(Start.AddSeconds(10), accepted.ArrivedAt);
        Assert.Equal(TimeSpan.FromSeconds(50), accepted.Waited);
        Assert.DoesNotContain(actions, a => a is CallAbandoned);
        Assert.Null(h.Call("second"));
        Assert.Equal(CallState.Waiting, h.Call("cb-second"));

        h.Login("1001");
        Assert.Equal(QueueEntryKind.Caller, h.LastRing("1001").Kind);
        Assert.Equal(["first", "cb-second", "third"], ServeAll(h, "1001", 3));
        var callbackRing = h.All.OfType<RingAgent>().Single(r => r.InteractionId == "cb-second");
        Assert.Equal(QueueEntryKind.Callback, callbackRing.Kind);
        Assert.Equal("+15550000002", callbackRing.Data["callback_number"]);
    }

    [Fact]
    public void A_converted_callback_keeps_its_priority_and_its_aging()
    {
        var h = new QueueHarness(Queue("support", QueueStrategy.LongestIdle, "1001") with
        {
            PriorityAging = new PriorityAging(TimeSpan.FromSeconds(60), 5),
        });
        h.Arrive("vip", "support", 10);
        h.Advance(5);
        h.Arrive("normal", "support", 0);
        h.Advance(1);
        h.Do(new CallerChoseCallback("vip", "cb-vip"));
        h.Advance(300); // both aged 5 levels: 15 vs 5
        var snapshot = h.Scheduler.Snapshot().Queues.Single().Calls;
        Assert.Equal(["cb-vip", "normal"], snapshot.Select(c => c.InteractionId));
        Assert.Equal((15, QueueEntryKind.Callback), (snapshot[0].EffectivePriority, snapshot[0].Kind));
        h.Login("1001");
        Assert.Equal(["cb-vip", "normal"], ServeAll(h, "1001", 2));
    }

    [Fact]
    public void A_queued_callback_takes_the_place_of_its_original_arrival()
    {
        var h = Support("1001");
        h.Arrive("early", "support");
        h.Advance(30);
        h.Arrive("late", "support");
        h.Advance(30);
        // A callback restored after a restart: it first arrived between the two callers.
        var accepted = Assert.Single(h.Do(new CallbackQueued("cb", "support", 0, Start.AddSeconds(10))).OfType<CallbackAccepted>());
        Assert.Equal((2, (string?)null), (accepted.Position, accepted.FromInteraction));
        Assert.Equal(TimeSpan.FromSeconds(50), accepted.Waited);
        h.Login("1001");
        Assert.Equal(["early", "cb", "late"], ServeAll(h, "1001", 3));
    }

    [Fact]
    public void An_arrival_in_the_future_is_clamped_to_now()
    {
        var h = Support("1001");
        h.Arrive("caller", "support");
        h.Advance(5);
        var accepted = Assert.Single(h.Do(new CallbackQueued("cb", "support", 0, Start.AddHours(1))).OfType<CallbackAccepted>());
        Assert.Equal((Start.AddSeconds(5), 2), (accepted.ArrivedAt, accepted.Position));
    }

    [Fact]
    public void A_callback_is_not_dispatched_before_its_not_before_and_later_callers_are_served_meanwhile()
    {
        var h = Support("1001");
        h.Login("1001");
        Assert.Empty(Rings(h.Do(new CallbackQueued("cb", "support", 0, Start, NotBefore: Start.AddMinutes(2)))));
        Assert.Equal(AgentState.Available, h.Agent("1001"));
        h.Advance(10);
        Assert.Equal(["1001:caller"], Rings(h.Arrive("caller", "support")));
        h.Answer("1001");
        h.Advance(20);
        h.Do(new AgentCallEnded("caller"));
        Assert.Empty(Rings(h.Advance(60))); // 90 s: not yet
        Assert.Equal(["1001:cb"], Rings(h.Advance(30))); // 120 s: the timer dispatches it
    }

    [Fact]
    public void Deferring_a_connected_callback_releases_its_agent_without_wrap_up_and_keeps_its_place()
    {
        var h = new QueueHarness(Queue("support", QueueStrategy.LongestIdle, "1001") with { WrapUp = TimeSpan.FromSeconds(10) });
        h.Arrive("caller", "support");
        h.Do(new CallerChoseCallback("caller", "cb"));
        h.Advance(5);
        h.Arrive("later", "support");
        h.Login("1001");
        Assert.Equal("cb", h.LastRing("1001").InteractionId);
        h.Answer("1001");
        Assert.Equal((CallState.Connected, AgentState.OnCall), (h.Call("cb")!.Value, h.Agent("1001")));

        // The customer did not answer: retry in 2 minutes; the agent takes the next caller at once.
        var deferred = h.Do(new CallbackDeferred("cb", h.Time.GetUtcNow().AddMinutes(2)));
        Assert.Equal(CallState.Waiting, h.Call("cb"));
        Assert.DoesNotContain(deferred, a => a is CallCompleted or CallbackRemoved);
        Assert.Equal(["1001:later"], Rings(deferred));
        h.Answer("1001");
        h.Advance(30);
        h.Do(new AgentCallEnded("later")); // wrap-up until 35 s... then available
        Assert.Equal(AgentState.WrapUp, h.Agent("1001"));
        Assert.Empty(Rings(h.Advance(60)));
        Assert.Equal(["1001:cb"], Rings(h.Advance(30)));
    }

    [Fact]
    public void Cancelling_a_ringing_callback_cancels_the_leg_without_skip_and_is_no_abandon()
    {
        var h = new QueueHarness(Queue("support", QueueStrategy.LongestIdle, "1001") with { NoAnswerSkip = TimeSpan.FromSeconds(30) });
        h.Login("1001");
        h.Do(new CallbackQueued("cb", "support", 0, Start));
        Assert.Equal(AgentState.Ringing, h.Agent("1001"));
        var actions = h.Do(new CallbackCancelled("cb", "cancelled by 2001"));
        var cancel = Assert.Single(actions.OfType<CancelRing>());
        Assert.Equal(CancelReason.Withdrawn, cancel.Reason);
        var removed = Assert.Single(actions.OfType<CallbackRemoved>());
        Assert.Equal((CallbackRemovalReason.Cancelled, "cancelled by 2001"), (removed.Reason, removed.Detail));
        Assert.DoesNotContain(actions, a => a is CallAbandoned);
        Assert.Null(h.Call("cb"));
        Assert.Equal(["1001:next"], Rings(h.Arrive("next", "support"))); // no skip window
    }

    [Fact]
    public void Cancelling_a_connected_callback_after_its_last_attempt_releases_the_agent()
    {
        var h = new QueueHarness(Queue("support", QueueStrategy.LongestIdle, "1001") with { WrapUp = TimeSpan.FromSeconds(10) });
        h.Login("1001");
        h.Do(new CallbackQueued("cb", "support", 0, Start));
        h.Answer("1001");
        var actions = h.Do(new CallbackCancelled("cb", "3 attempts failed"));
        Assert.Contains(actions, a => a is CallbackRemoved { CallbackId: "cb" });
        Assert.DoesNotContain(actions, a => a is CallCompleted);
        Assert.Equal(AgentState.Available, h.Agent("1001"));
    }

    [Fact]
    public void A_pending_pause_applies_when_a_callback_releases_its_agent()
    {
        var h = Support("1001");
        h.Login("1001");
        h.Do(new CallbackQueued("cb", "support", 0, Start));
        h.Answer("1001");
        h.Do(new AgentPaused("1001", "lunch"));
        h.Do(new CallbackDeferred("cb", Start.AddMinutes(2)));
        Assert.Equal(AgentState.Paused, h.Agent("1001"));
    }

    [Fact]
    public void A_completed_callback_is_a_completed_call_with_the_original_wait_and_wrap_up()
    {
        var h = new QueueHarness(Queue("support", QueueStrategy.LongestIdle, "1001") with { WrapUp = TimeSpan.FromSeconds(10) });
        h.Arrive("caller", "support");
        h.Advance(45);
        h.Do(new CallerChoseCallback("caller", "cb"));
        h.Advance(15);
        h.Login("1001");
        h.Answer("1001");
        h.Advance(100);
        var done = Assert.Single(h.Do(new AgentCallEnded("cb")).OfType<CallCompleted>());
        Assert.Equal(("cb", "1001", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(100)), (done.InteractionId, done.Agent, done.Waited, done.TalkTime));
        Assert.Equal(AgentState.WrapUp, h.Agent("1001"));
    }

    [Fact]
    public void A_ringing_caller_who_chooses_a_callback_gets_its_leg_cancelled_and_the_callback_is_offered_again()
    {
        var h = Support("1001");
        h.Login("1001");
        h.Arrive("caller", "support");
        Assert.Equal(AgentState.Ringing, h.Agent("1001"));
        var actions = h.Do(new CallerChoseCallback("caller", "cb"));
        Assert.Contains(actions, a => a is CancelRing { InteractionId: "caller", Reason: CancelReason.Withdrawn });
        Assert.Contains(actions, a => a is RingAgent { InteractionId: "cb", Kind: QueueEntryKind.Callback, Agent: "1001" });
    }

    [Fact]
    public void A_callback_past_its_deadline_is_withdrawn_as_expired()
    {
        var h = Support("1001");
        h.Do(new CallbackQueued("cb", "support", 0, Start, Deadline: Start.AddMinutes(30)));
        Assert.Empty(h.Advance(TimeSpan.FromMinutes(29)).OfType<CallbackRemoved>());
        var removed = Assert.Single(h.Advance(TimeSpan.FromMinutes(2)).OfType<CallbackRemoved>());
        Assert.Equal(CallbackRemovalReason.Expired, removed.Reason);
        Assert.Null(h.Call("cb"));
    }

    [Fact]
    public void A_callback_has_no_max_wait_and_no_announcements()
    {
        var h = new QueueHarness(Queue("support", QueueStrategy.LongestIdle, "1001") with
        {
            MaxWait = TimeSpan.FromSeconds(60),
            Overflow = OverflowTarget.HangUp,
            AnnounceInterval = TimeSpan.FromSeconds(20),
        });
        h.Do(new CallbackQueued("cb", "support", 0, Start));
        var later = h.Advance(TimeSpan.FromMinutes(10));
        Assert.DoesNotContain(later, a => a is CallOverflowed or AnnouncePosition);
        Assert.Equal(CallState.Waiting, h.Call("cb"));
    }

    [Fact]
    public void Callback_commands_are_checked()
    {
        var h = Support("1001");
        h.Arrive("caller", "support");
        h.Do(new CallbackQueued("cb", "support", 0, Start));
        Assert.Contains(h.Do(new CallerHungUp("cb")), a => a is CommandIgnored);
        Assert.Contains(h.Do(new CallbackDeferred("caller", Start)), a => a is CommandIgnored);
        Assert.Contains(h.Do(new CallbackCancelled("caller", "x")), a => a is CommandIgnored);
        Assert.Contains(h.Do(new CallerChoseCallback("cb", "cb2")), a => a is CommandIgnored);
        Assert.Contains(h.Do(new CallerChoseCallback("caller", "cb")), a => a is CommandIgnored); // id taken
        Assert.Contains(h.Do(new CallbackQueued("cb", "support", 0, Start)), a => a is CallRejected);
        Assert.Contains(h.Do(new CallbackQueued("cb3", "nosuch", 0, Start)), a => a is CallRejected);
        Assert.Equal(CallState.Waiting, h.Call("caller"));
    }

    [Fact]
    public void The_estimated_wait_of_an_accepted_callback_follows_its_position()
    {
        var h = new QueueHarness(Queue("support", QueueStrategy.LongestIdle, "1001") with { DefaultHandleTime = TimeSpan.FromSeconds(90) });
        h.Login("1001");
        h.Arrive("busy", "support");
        h.Answer("1001"); // the one agent is on a call
        h.Arrive("waiting", "support");
        var accepted = Assert.Single(h.Do(new CallbackQueued("cb", "support", 0, Start.AddSeconds(1))).OfType<CallbackAccepted>());
        Assert.Equal((2, TimeSpan.FromSeconds(180)), (accepted.Position, accepted.EstimatedWait!.Value));
    }
}
