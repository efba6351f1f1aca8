using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// Races of application (IVR/queue) calls in process: the agent's 200 crossing the caller's BYE or the queue's CANCEL
/// (RFC 3261 §9.1: the late 2xx is ACKed, then BYE), BYE glare between caller and agent, and a CANCEL right behind the
/// caller's INVITE.
/// </summary>
public sealed class ApplicationCallRaceTests
{
    [Fact]
    public async Task Agent_answers_as_the_caller_hangs_up_agent_gets_ack_then_bye()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var caller = await pbx.QueuedCallerAsync();
        var ring = await pbx.RingingAsync(agent);
        ring.Ring();
        ring.AnswerWinsOverCancel();

        var bye = caller.Call.ByeAsync();
        ring.Answer(pbx.RtpPeer().Answer());
        Assert.Equal(200, (await bye).StatusCode);
        await agent.ExpectRequestAsync(SipMethod.Ack, ring.Invite.CallId);
        await agent.ExpectRequestAsync(SipMethod.Bye, ring.Invite.CallId);
        var outcome = (await caller.EndedAsync()).Outcome;
        Assert.True(outcome is CallOutcome.Answered or CallOutcome.AbandonedInQueue, $"outcome {outcome}");
        await pbx.NoCallsLeftAsync();
        await InProcessPbx.WaitUntilAsync(() => pbx.AgentAsync("1001").Result?.State is AgentState.Available or AgentState.WrapUp,
            "the agent is free again");
    }

    [Fact]
    public async Task Queue_ring_timeout_cancel_crossing_the_agents_200_gets_ack_and_bye_next_agent_rings()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var slow = await pbx.RegisteredPhoneAsync("1001");
        var next = await pbx.RegisteredPhoneAsync("1002");
        await pbx.AgentStateAsync("1002", AgentState.Available);
        var caller = await pbx.QueuedCallerAsync();
        var ring = await pbx.RingingAsync(slow);
        ring.Ring();
        ring.AnswerWinsOverCancel();

        await pbx.AdvanceAsync(TimeSpan.FromSeconds(20.5));
        await slow.ExpectRequestAsync(SipMethod.Cancel, ring.Invite.CallId);
        ring.Answer(pbx.RtpPeer().Answer()); // sent before the CANCEL arrived
        await slow.ExpectRequestAsync(SipMethod.Ack, ring.Invite.CallId);
        await slow.ExpectRequestAsync(SipMethod.Bye, ring.Invite.CallId);

        var answered = await pbx.AnswerAsync(next);
        caller.Media.Tone(440);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(answered.Media.ToneShare(440) > 0.7, "1002 hears the caller: " + answered.Media.Describe());
        await caller.Call.ByeAsync();
        await next.ExpectRequestAsync(SipMethod.Bye, answered.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Bye_glare_caller_and_agent_hang_up_at_once()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var caller = await pbx.QueuedCallerAsync();
        var bridged = await pbx.AnswerAsync(agent);

        var responses = await Task.WhenAll(caller.Call.ByeAsync(), bridged.Call.ByeAsync());
        Assert.All(responses, r => Assert.True(r.StatusCode is 200 or 481, $"BYE answered {r.StatusCode}"));
        Assert.Equal(CallOutcome.Answered, (await caller.EndedAsync()).Outcome);
        await pbx.NoCallsLeftAsync();
        await pbx.AgentStateAsync("1001", AgentState.WrapUp);
        await InProcessPbx.WaitUntilAsync(() => caller.QueueEvents.Count == 3, "no abandon after the answer");
    }

    [Fact]
    public async Task Caller_cancels_right_behind_the_invite_the_call_ends_either_way()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(InProcessPbx.SupportLine, Sdp.Audio(trunk.Host, 30000), fromUser: "+15550000002");
        call.Cancel();
        var final = await call.FinalAsync();
        if (final.StatusCode == 200)
        {
            Assert.Equal(200, (await call.ByeAsync()).StatusCode); // the CANCEL came too late (RFC 3261 §9.1)
        }
        else
        {
            Assert.Equal(487, final.StatusCode);
        }
        await pbx.Observer.EndedAsync(call.Invite.CallId!);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Agent_hangs_up_the_bridged_call_caller_gets_bye_queue_records_the_end()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync(configDirectory: SampleConfig.WithoutSurvey()); // the caller leaves with the agent
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var caller = await pbx.QueuedCallerAsync();
        var bridged = await pbx.AnswerAsync(agent);
        await bridged.Call.ByeAsync();
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        var ended = await caller.EndedAsync();
        Assert.Equal((CallOutcome.Answered, HangupSide.Callee), (ended.Outcome, ended.Side));
        await InProcessPbx.WaitUntilAsync(() => pbx.CallCenter!.Queues!.CompletedCalls == 1, "the queue call completed");
        await pbx.NoCallsLeftAsync();
    }
}
