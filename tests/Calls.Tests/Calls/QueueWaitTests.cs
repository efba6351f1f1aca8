using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// Callers waiting in the sample queues, in process on the fake clock: priority order, position and estimated-wait
/// announcements, the IVR's max-wait overflow to the operator queue, and callers who give up while waiting.
/// </summary>
public sealed class QueueWaitTests
{
    [Fact]
    public async Task Vip_caller_who_arrives_second_is_offered_to_the_agent_first()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var normal = await pbx.QueuedCallerAsync("+15550000002");
        var vip = await pbx.QueuedCallerAsync("+15550000001"); // on the IVR's VIP list: priority 50
        var vipCall = await pbx.ApplicationCallAsync(vip.CallId);

        var agent = await pbx.RegisteredPhoneAsync("1001");
        var answered = await pbx.AnswerAsync(agent);
        Assert.Equal(vipCall.InteractionId, answered.Header("X-Telephony-Interaction"));
        Assert.Equal("50", answered.Header("X-Telephony-Priority"));
        Assert.Equal("vip", answered.Header("X-Telephony-Tags"));
        Assert.Equal("support", answered.Header("X-Telephony-Queue"));
        Assert.Contains("+15550000001", answered.Call.Invite.From!.ToString(), StringComparison.Ordinal);
        var snapshot = await pbx.CallCenter!.Queues!.Scheduler.GetSnapshotAsync();
        var waiting = snapshot.FindCall((await pbx.ApplicationCallAsync(normal.CallId)).InteractionId);
        Assert.Equal(CallState.Waiting, waiting?.State);
        Assert.Equal(1, waiting?.Position);

        await vip.Call.ByeAsync();
        await agent.ExpectRequestAsync(SipMethod.Bye, answered.CallId);
        await normal.Call.ByeAsync();
        Assert.Equal(CallOutcome.Answered, (await vip.EndedAsync()).Outcome);
        Assert.Equal(CallOutcome.AbandonedInQueue, (await normal.EndedAsync()).Outcome);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Waiting_caller_hears_position_and_estimated_wait_after_the_announce_interval()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var first = await pbx.QueuedCallerAsync("+15550000002");
        await pbx.AnswerAsync(agent); // 1001 busy with the first caller: one staffed agent, default handle time 180 s
        var second = await pbx.QueuedCallerAsync("+15550000003");
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(second.Media.Heard(Sounds.Of("queue/hold")), "the waiting caller hears the hold music");
        Assert.False(second.Media.Heard(Sounds.Of("queue/you-are-caller-number")));

        await pbx.AdvanceAsync(TimeSpan.FromSeconds(29));
        await pbx.TickUntilAsync(() => second.Media.Heard(Sounds.Of("queue/minutes")), TimeSpan.FromSeconds(8),
            "the announcement ends with 'minutes'");
        Assert.True(second.Media.Heard(Sounds.Of("queue/you-are-caller-number")), "'you are caller number'");
        Assert.True(second.Media.Heard(Sounds.Of("queue/digit-1")), "position 1");
        Assert.True(second.Media.Heard(Sounds.Of("queue/your-estimated-wait-is")), "'your estimated wait is'");
        Assert.True(second.Media.Heard(Sounds.Of("queue/digit-3")), "3 minutes (180 s per caller, one agent)");
        Assert.False(first.Media.Heard(Sounds.Of("queue/you-are-caller-number")), "the connected caller hears no announcement");

        await second.Call.ByeAsync();
        await first.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Emergency_caller_overflows_from_support_to_the_operator_queue_at_the_nodes_max_wait()
    {
        // Nobody of support is logged in; 1003 (sales, operator) is. Key 9: priority 100, support for at most 2 min,
        // then the IVR's overflow path to the operator queue.
        await using var pbx = await InProcessPbx.StartCallCenterAsync(o => o.Rtp.TimeoutSeconds = 0);
        var operatorPhone = await pbx.RegisteredPhoneAsync("1003");
        var caller = await pbx.QueuedCallerAsync("+15550000002", digit: '9');
        Assert.Equal("support", pbx.QueueEventsOf(caller.CallId)[0].Queue);
        Assert.Equal(100, pbx.QueueEventsOf(caller.CallId)[0].Priority);

        await pbx.AdvanceAsync(TimeSpan.FromSeconds(119));
        Assert.False(operatorPhone.Has(m => m is SipRequest { Method: SipMethod.Invite }), "no ring before the max wait");
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(2));
        var answered = await pbx.AnswerAsync(operatorPhone);
        Assert.Equal("operator", answered.Header("X-Telephony-Queue"));
        Assert.Equal("100", answered.Header("X-Telephony-Priority"));
        Assert.Equal("emergency", answered.Header("X-Telephony-Tags"));
        Assert.Equal("emergency", answered.Header("X-Telephony-Var-reason"));

        await InProcessPbx.WaitUntilAsync(() => caller.QueueEvents.Contains(QueueEventKind.Answered), "answered in the queue");
        var events = pbx.QueueEventsOf(caller.CallId);
        Assert.Equal([QueueEventKind.Entered, QueueEventKind.Overflowed, QueueEventKind.Entered, QueueEventKind.AgentRung,
            QueueEventKind.Answered], events.Select(e => e.Kind));
        Assert.Equal("application", events[1].Detail);
        Assert.True(events[1].Wait >= TimeSpan.FromSeconds(120), $"overflow after {events[1].Wait}");
        Assert.Equal("operator", events[2].Queue);

        caller.Media.Tone(440);
        answered.Media.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(answered.Media.ToneShare(440) > 0.7, "the operator hears the caller");
        Assert.True(caller.Media.ToneShare(1000) > 0.7, "the caller hears the operator");
        await answered.Call.ByeAsync();
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        Assert.Equal(CallOutcome.Answered, (await caller.EndedAsync()).Outcome);
        Assert.Equal(HangupSide.Callee, (await caller.EndedAsync()).Side);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Nobody_answers_support_within_the_max_wait_caller_hears_all_busy_then_bye()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync(o => o.Rtp.TimeoutSeconds = 0);
        var caller = await pbx.QueuedCallerAsync();
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(301));
        await pbx.TickUntilAsync(() => caller.Peer.Has(m => m is SipRequest { Method: SipMethod.Bye }), TimeSpan.FromSeconds(8),
            "BYE after the all-busy prompt");
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        Assert.True(caller.Media.Heard(Sounds.Of("ivr/all-busy")), "the caller hears all-busy");
        var ended = await caller.EndedAsync();
        Assert.Equal(CallOutcome.NoAgent, ended.Outcome); // overflowed with none of support's agents logged in
        Assert.Equal([QueueEventKind.Entered, QueueEventKind.Overflowed], caller.QueueEvents);
        Assert.Equal(1, pbx.CallCenter!.Queues!.OverflowedCalls);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Caller_hangs_up_while_waiting_abandoned_in_queue()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var caller = await pbx.QueuedCallerAsync();
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(12));

        Assert.Equal(200, (await caller.Call.ByeAsync()).StatusCode);
        var ended = await caller.EndedAsync();
        Assert.Equal(CallOutcome.AbandonedInQueue, ended.Outcome);
        Assert.Equal(HangupSide.Caller, ended.Side);
        await InProcessPbx.WaitUntilAsync(() => caller.QueueEvents.Count == 2, "the abandon is reported");
        var abandoned = pbx.QueueEventsOf(caller.CallId)[1];
        Assert.Equal(QueueEventKind.Abandoned, abandoned.Kind);
        Assert.Equal("support", abandoned.Queue);
        Assert.True(abandoned.Wait >= TimeSpan.FromSeconds(12), $"waited {abandoned.Wait}");
        await InProcessPbx.WaitUntilAsync(() => pbx.CallCenter!.Queues!.AbandonedCalls == 1, "the queue counts the abandon");
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Caller_hangs_up_while_the_agent_rings_agent_gets_cancel_abandoned_in_queue()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var caller = await pbx.QueuedCallerAsync();
        var ring = await pbx.RingingAsync(agent);
        ring.Ring();

        await caller.Call.ByeAsync();
        await agent.ExpectRequestAsync(SipMethod.Cancel, ring.Invite.CallId);
        Assert.Equal(CallOutcome.AbandonedInQueue, (await caller.EndedAsync()).Outcome);
        await InProcessPbx.WaitUntilAsync(() => caller.QueueEvents.Contains(QueueEventKind.Abandoned), "abandon reported");
        Assert.DoesNotContain(QueueEventKind.AgentNoAnswer, caller.QueueEvents); // the caller's doing, not the agent's
        await pbx.AgentStateAsync("1001", AgentState.Available);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Caller_referred_to_sales_overflows_by_the_queue_config_to_operator_then_hears_all_busy()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync(o => o.Rtp.TimeoutSeconds = 0);
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var caller = await pbx.QueuedCallerAsync();
        var bridged = await pbx.AnswerAsync(agent);
        var refer = bridged.Call.SendInDialog(SipMethod.Refer, r => r.Headers.Add(HeaderName.ReferTo, "<sip:sales@10.0.0.1>"));
        Assert.Equal(202, (await agent.ExpectResponseAsync(refer, final: true)).StatusCode);
        await bridged.Call.ByeAsync();
        Assert.Equal(200, (await agent.RegisterAsync(expires: 0)).StatusCode); // 1001 logs out: nobody takes the caller
        await pbx.AgentStateAsync("1001", AgentState.LoggedOut);

        await pbx.AdvanceAsync(TimeSpan.FromSeconds(301)); // sales: 300 s, then operator
        await InProcessPbx.WaitUntilAsync(() => caller.QueueEvents.Count(k => k == QueueEventKind.Entered) == 3, "in operator");
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(181)); // operator: 180 s, then hang up
        await pbx.TickUntilAsync(() => caller.Peer.Has(m => m is SipRequest { Method: SipMethod.Bye }), TimeSpan.FromSeconds(8),
            "BYE after the all-busy prompt");
        Assert.True(caller.Media.Heard(Sounds.Of("ivr/all-busy")), "the caller hears all-busy");

        var events = pbx.QueueEventsOf(caller.CallId);
        Assert.Equal([QueueEventKind.Entered, QueueEventKind.AgentRung, QueueEventKind.Answered, QueueEventKind.Transferred,
            QueueEventKind.Entered, QueueEventKind.Overflowed, QueueEventKind.Entered, QueueEventKind.Overflowed],
            events.Select(e => e.Kind));
        Assert.Equal(("sales", "queue:operator"), (events[5].Queue, events[5].Detail));
        Assert.Equal(("operator", "hangup:en/ivr/all-busy"), (events[7].Queue, events[7].Detail));
        Assert.Equal(CallOutcome.Answered, (await caller.EndedAsync()).Outcome); // it reached a person before
        Assert.Equal(2, pbx.CallCenter!.Queues!.OverflowedCalls);
        await pbx.NoCallsLeftAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Transferred_caller_overflows_by_the_queue_config_to_extension_1004(bool answers)
    {
        var config = InProcessPbx.ConfigCopy(editQueues: q => q.Replace("  - name: sales              # IVR option 1\n",
            "  - name: sales              # IVR option 1\n    maxWaitSeconds: 30\n    overflow: { transfer: \"1004\" }\n",
            StringComparison.Ordinal));
        await using var pbx = await InProcessPbx.StartCallCenterAsync(configDirectory: config);
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var extension = await pbx.RegisteredPhoneAsync("1004");
        var caller = await pbx.QueuedCallerAsync();
        var bridged = await pbx.AnswerAsync(agent);
        var refer = bridged.Call.SendInDialog(SipMethod.Refer, r => r.Headers.Add(HeaderName.ReferTo, "<sip:sales@10.0.0.1>"));
        Assert.Equal(202, (await agent.ExpectResponseAsync(refer, final: true)).StatusCode);
        await bridged.Call.ByeAsync();

        await pbx.AdvanceAsync(TimeSpan.FromSeconds(31));
        var ring = await pbx.RingingAsync(extension);
        Assert.Equal(bridged.Header("X-Telephony-Interaction"), ring.Invite.Headers.Get("X-Telephony-Interaction"));
        Assert.Equal("transfer:1004", pbx.QueueEventsOf(caller.CallId).Last(e => e.Kind == QueueEventKind.Overflowed).Detail);
        if (answers)
        {
            var answered = await pbx.AnswerAsync(extension, ring);
            caller.Media.Tone(440);
            await pbx.TickAsync(TimeSpan.FromSeconds(1));
            Assert.True(answered.Media.ToneShare(440) > 0.7, "1004 hears the caller: " + answered.Media.Describe());
            await caller.Call.ByeAsync();
            await extension.ExpectRequestAsync(SipMethod.Bye, answered.CallId);
        }
        else
        {
            ring.Ring();
            await pbx.AdvanceAsync(TimeSpan.FromSeconds(30.5));
            await extension.ExpectRequestAsync(SipMethod.Cancel, ring.Invite.CallId);
            await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId); // overflow transfer failed
        }
        await pbx.NoCallsLeftAsync();
    }
}
