using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// Agents of the sample support queue in process: no answer within the queue's 20 s ring timeout (CANCEL, the next
/// agent rings), 486 busy, an agent already on a call, wrap-up, and the agent feature codes (*45 in, *46 out, *47
/// pause, *48 resume).
/// </summary>
public sealed class QueueAgentTests
{
    [Fact]
    public async Task Agent_does_not_answer_within_20_s_gets_cancel_and_the_next_agent_rings()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync(configDirectory: SampleConfig.WithoutSurvey()); // the caller leaves with the agent
        var first = await pbx.RegisteredPhoneAsync("1001");
        var second = await pbx.RegisteredPhoneAsync("1002");
        await pbx.AgentStateAsync("1002", AgentState.Available);
        var caller = await pbx.QueuedCallerAsync();
        var ring = await pbx.RingingAsync(first);
        ring.Ring();

        await pbx.AdvanceAsync(TimeSpan.FromSeconds(19));
        Assert.False(first.Has(m => m is SipRequest { Method: SipMethod.Cancel }), "no CANCEL before the ring timeout");
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(1.5));
        await first.ExpectRequestAsync(SipMethod.Cancel, ring.Invite.CallId);
        await first.ExpectRequestAsync(SipMethod.Ack, ring.Invite.CallId); // for our 487
        var answered = await pbx.AnswerAsync(second);
        Assert.Equal(ring.Invite.Headers.Get("X-Telephony-Interaction"), answered.Header("X-Telephony-Interaction"));

        await InProcessPbx.WaitUntilAsync(() => caller.QueueEvents.Contains(QueueEventKind.Answered), "answered");
        var events = pbx.QueueEventsOf(caller.CallId);
        Assert.Equal([QueueEventKind.Entered, QueueEventKind.AgentRung, QueueEventKind.AgentNoAnswer, QueueEventKind.AgentRung,
            QueueEventKind.Answered], events.Select(e => e.Kind));
        Assert.Equal(("1001", "ring timeout"), (events[2].Agent, events[2].Detail));
        Assert.Equal("1002", events[4].Agent);
        Assert.NotNull((await pbx.AgentAsync("1001"))?.SkippedUntil);

        await answered.Call.ByeAsync();
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Agent_answers_486_busy_and_the_next_agent_rings()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var first = await pbx.RegisteredPhoneAsync("1001");
        var second = await pbx.RegisteredPhoneAsync("1002");
        await pbx.AgentStateAsync("1002", AgentState.Available);
        var caller = await pbx.QueuedCallerAsync();

        var ring = await pbx.RingingAsync(first);
        ring.Reject(486);
        await first.ExpectRequestAsync(SipMethod.Ack, ring.Invite.CallId);
        var answered = await pbx.AnswerAsync(second);
        await InProcessPbx.WaitUntilAsync(() => caller.QueueEvents.Contains(QueueEventKind.Answered), "answered");
        var noAnswer = pbx.QueueEventsOf(caller.CallId).Single(e => e.Kind == QueueEventKind.AgentNoAnswer);
        Assert.Equal(("1001", "busy"), (noAnswer.Agent, noAnswer.Detail));

        caller.Media.Tone(440);
        answered.Media.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(answered.Media.ToneShare(440) > 0.7, "1002 hears the caller");
        Assert.True(caller.Media.ToneShare(1000) > 0.7, "the caller hears 1002");
        await caller.Call.ByeAsync();
        await second.ExpectRequestAsync(SipMethod.Bye, answered.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Agent_answers_with_unusable_sdp_gets_ack_and_bye_and_the_next_agent_rings()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var first = await pbx.RegisteredPhoneAsync("1001");
        var second = await pbx.RegisteredPhoneAsync("1002");
        await pbx.AgentStateAsync("1002", AgentState.Available);
        var caller = await pbx.QueuedCallerAsync();

        var ring = await pbx.RingingAsync(first);
        ring.Answer(Sdp.Audio(first.Host, 31000, codecs: "18"));
        await first.ExpectRequestAsync(SipMethod.Ack, ring.Invite.CallId);
        await first.ExpectRequestAsync(SipMethod.Bye, ring.Invite.CallId);
        var answered = await pbx.AnswerAsync(second);
        await caller.Call.ByeAsync();
        await second.ExpectRequestAsync(SipMethod.Bye, answered.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Agent_on_a_call_is_not_rung_then_wraps_up_for_10_s()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync(configDirectory: SampleConfig.WithoutSurvey()); // the caller leaves with the agent
        var busy = await pbx.RegisteredPhoneAsync("1001");
        var first = await pbx.QueuedCallerAsync("+15550000002");
        var talking = await pbx.AnswerAsync(busy);
        await pbx.AgentStateAsync("1001", AgentState.OnCall);

        var other = await pbx.RegisteredPhoneAsync("1002");
        var second = await pbx.QueuedCallerAsync("+15550000003");
        var answered = await pbx.AnswerAsync(other);
        Assert.Equal((await pbx.ApplicationCallAsync(second.CallId)).InteractionId, answered.Header("X-Telephony-Interaction"));
        Assert.False(busy.Has(m => m is SipRequest { Method: SipMethod.Invite }), "1001 is on a call: not rung");

        await talking.Call.ByeAsync();
        await first.Peer.ExpectRequestAsync(SipMethod.Bye, first.CallId);
        await pbx.AgentStateAsync("1001", AgentState.WrapUp);
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(10.5));
        await pbx.AgentStateAsync("1001", AgentState.Available);
        Assert.Equal(CallOutcome.Answered, (await first.EndedAsync()).Outcome);
        Assert.Equal(HangupSide.Callee, (await first.EndedAsync()).Side);

        await second.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Agent_logs_out_with_star46_is_not_rung_and_logs_in_again_with_star45()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var other = await pbx.RegisteredPhoneAsync("1002");
        await pbx.AgentStateAsync("1001", AgentState.Available);

        Assert.True((await FeatureCodeAsync(pbx, agent, "*46")).Heard(Sounds.Of("queue/logged-out")));
        await pbx.AgentStateAsync("1001", AgentState.LoggedOut);
        var caller = await pbx.QueuedCallerAsync();
        var answered = await pbx.AnswerAsync(other);
        Assert.False(agent.Has(m => m is SipRequest { Method: SipMethod.Invite }), "a logged-out agent is not rung");
        await caller.Call.ByeAsync();
        await other.ExpectRequestAsync(SipMethod.Bye, answered.CallId);

        Assert.True((await FeatureCodeAsync(pbx, agent, "*45")).Heard(Sounds.Of("queue/logged-in")));
        await pbx.AgentStateAsync("1001", AgentState.Available);
        await pbx.NoCallsLeftAsync();
        var outcomes = pbx.Observer.Ended.Values.Select(e => e.Outcome).ToList();
        Assert.Equal(2, outcomes.Count(o => o == CallOutcome.CompletedInIvr)); // feature codes are service calls
    }

    [Fact]
    public async Task Agent_pauses_with_star47_and_resumes_with_star48_a_second_resume_is_not_possible()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        await pbx.AgentStateAsync("1001", AgentState.Available);

        Assert.True((await FeatureCodeAsync(pbx, agent, "*47")).Heard(Sounds.Of("queue/paused")));
        await pbx.AgentStateAsync("1001", AgentState.Paused);
        Assert.Equal("feature code", (await pbx.AgentAsync("1001"))?.PauseReason);
        var caller = await pbx.QueuedCallerAsync();
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.False(agent.Has(m => m is SipRequest { Method: SipMethod.Invite }), "a paused agent is not rung");

        Assert.True((await FeatureCodeAsync(pbx, agent, "*48")).Heard(Sounds.Of("queue/resumed")));
        var answered = await pbx.AnswerAsync(agent); // resumed: the waiting caller is offered at once
        await caller.Call.ByeAsync();
        await agent.ExpectRequestAsync(SipMethod.Bye, answered.CallId);
        Assert.True((await FeatureCodeAsync(pbx, agent, "*48")).Heard(Sounds.Of("queue/not-possible")),
            "resume while not paused: not possible");
        await pbx.NoCallsLeftAsync();
    }

    [Theory]
    [InlineData("2001")] // a supervisor, not a queue member
    public async Task Feature_code_from_a_non_agent_is_not_possible(string extension)
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var phone = await pbx.RegisteredPhoneAsync(extension);
        Assert.True((await FeatureCodeAsync(pbx, phone, "*46")).Heard(Sounds.Of("queue/not-possible")));
        await pbx.NoCallsLeftAsync();
    }

    /// <summary>Dials <paramref name="code"/> from <paramref name="phone"/>, listens until the server's BYE.</summary>
    private static async Task<RtpTestPeer> FeatureCodeAsync(InProcessPbx pbx, SipTestPeer phone, string code)
    {
        var media = pbx.RtpPeer();
        var call = await phone.CallAsync(code, media.Offer());
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        media.ConnectTo(ok.Body);
        await pbx.TickUntilAsync(() => phone.Has(m => m is SipRequest { Method: SipMethod.Bye } r && r.CallId == call.Invite.CallId),
            TimeSpan.FromSeconds(5), $"BYE after {code}'s confirmation");
        await phone.ExpectRequestAsync(SipMethod.Bye, call.Invite.CallId);
        return media;
    }

}
