using System.Text;
using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// Blind transfer by the bridged agent (REFER, RFC 3515; RFC 5589 §6) in process: to an extension and to a queue (202,
/// NOTIFY sipfrag 100 then 200, the new party rings with the same X-Telephony-Interaction, the transferor gets BYE after
/// the 5 s grace and wraps up), a failed transfer back to the agent, and REFERs that are refused.
/// </summary>
public sealed class AgentTransferTests
{
    private const string Server = "10.0.0.1";

    [Fact]
    public async Task Agent_refers_the_caller_to_extension_1002_which_answers()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var target = await pbx.RegisteredPhoneAsync("1002");
        await pbx.AgentStateAsync("1002", AgentState.Available);
        var caller = await pbx.QueuedCallerAsync();
        var bridged = await pbx.AnswerAsync(agent);

        var refer = Refer(bridged, $"<sip:1002@{Server}>");
        Assert.Equal(202, (await agent.ExpectResponseAsync(refer, final: true)).StatusCode);
        Assert.Equal("SIP/2.0 100 Trying", await NotifyAsync(agent, bridged));
        var transferred = await pbx.AnswerAsync(target);
        Assert.Equal(bridged.Header("X-Telephony-Interaction"), transferred.Header("X-Telephony-Interaction"));
        Assert.Null(transferred.Header("X-Telephony-Queue"));
        Assert.Equal("SIP/2.0 200 OK", await NotifyAsync(agent, bridged));

        await pbx.AdvanceAsync(TimeSpan.FromSeconds(4));
        Assert.False(agent.Has(m => m is SipRequest { Method: SipMethod.Bye }), "the transferor keeps its leg for the grace");
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(1.5));
        await agent.ExpectRequestAsync(SipMethod.Bye, bridged.CallId);
        await pbx.AgentStateAsync("1001", AgentState.WrapUp);

        caller.Media.Tone(440);
        transferred.Media.Tone(1800);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(transferred.Media.ToneShare(440) > 0.7, "1002 hears the caller: " + transferred.Media.Describe());
        Assert.True(caller.Media.ToneShare(1800) > 0.7, "the caller hears 1002");
        var events = pbx.QueueEventsOf(caller.CallId);
        Assert.Equal([QueueEventKind.Entered, QueueEventKind.AgentRung, QueueEventKind.Answered, QueueEventKind.Transferred],
            events.Select(e => e.Kind));
        Assert.Equal(("1001", "extension:1002"), (events[3].Agent, events[3].Detail));

        await caller.Call.ByeAsync();
        await target.ExpectRequestAsync(SipMethod.Bye, transferred.CallId);
        Assert.Equal(CallOutcome.Answered, (await caller.EndedAsync()).Outcome);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Agent_refers_the_caller_to_the_sales_queue_whose_agent_gets_the_same_interaction()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var vip = await pbx.QueuedCallerAsync("+15550000001");
        var bridged = await pbx.AnswerAsync(agent);
        var sales = await pbx.RegisteredPhoneAsync("1003"); // logged in only now: the queue is its only way to this caller
        await pbx.AgentStateAsync("1003", AgentState.Available);

        var refer = Refer(bridged, $"<sip:sales@{Server}>");
        Assert.Equal(202, (await agent.ExpectResponseAsync(refer, final: true)).StatusCode);
        Assert.Equal("SIP/2.0 100 Trying", await NotifyAsync(agent, bridged));
        Assert.Equal("SIP/2.0 200 OK", await NotifyAsync(agent, bridged)); // once queued
        var transferred = await pbx.AnswerAsync(sales);
        Assert.Equal(bridged.Header("X-Telephony-Interaction"), transferred.Header("X-Telephony-Interaction"));
        Assert.Equal("sales", transferred.Header("X-Telephony-Queue"));
        Assert.Equal("50", transferred.Header("X-Telephony-Priority"));
        Assert.Equal("vip", transferred.Header("X-Telephony-Tags"));
        Assert.Equal(bridged.Header("X-Telephony-Var-caller"), transferred.Header("X-Telephony-Var-caller"));
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(5.5));
        await agent.ExpectRequestAsync(SipMethod.Bye, bridged.CallId);

        await InProcessPbx.WaitUntilAsync(() => vip.QueueEvents.Count(k => k == QueueEventKind.Answered) == 2, "answered in sales");
        var events = pbx.QueueEventsOf(vip.CallId);
        Assert.Equal([QueueEventKind.Entered, QueueEventKind.AgentRung, QueueEventKind.Answered, QueueEventKind.Transferred,
            QueueEventKind.Entered, QueueEventKind.AgentRung, QueueEventKind.Answered], events.Select(e => e.Kind));
        Assert.Equal("queue:sales", events[3].Detail);
        Assert.Equal(("sales", "1003"), (events[6].Queue, events[6].Agent));
        vip.Media.Tone(440);
        transferred.Media.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(transferred.Media.ToneShare(440) > 0.7, "1003 hears the caller");
        Assert.True(vip.Media.ToneShare(1000) > 0.7, "the caller hears 1003");

        await transferred.Call.ByeAsync();
        await vip.Peer.ExpectRequestAsync(SipMethod.Bye, vip.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Theory]
    [InlineData(486, "SIP/2.0 486 Busy Here")]
    [InlineData(603, "SIP/2.0 480 Temporarily Unavailable")]
    public async Task Transfer_target_refuses_the_caller_goes_back_to_the_agent(int refusal, string sipfrag)
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync(configDirectory: SampleConfig.WithoutSurvey()); // the caller leaves with the agent
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var target = await pbx.RegisteredPhoneAsync("1004");
        var caller = await pbx.QueuedCallerAsync();
        var bridged = await pbx.AnswerAsync(agent);

        var refer = Refer(bridged, $"<sip:1004@{Server}>");
        Assert.Equal(202, (await agent.ExpectResponseAsync(refer, final: true)).StatusCode);
        Assert.Equal("SIP/2.0 100 Trying", await NotifyAsync(agent, bridged));
        (await pbx.RingingAsync(target)).Reject(refusal);
        Assert.Equal(sipfrag, await NotifyAsync(agent, bridged));
        await AssertTalkingAsync(pbx, caller, bridged);
        Assert.DoesNotContain(QueueEventKind.Transferred, caller.QueueEvents);

        // A second REFER works again once the first one failed; this one names nobody the server knows.
        var again = Refer(bridged, $"<sip:1009@{Server}>");
        Assert.Equal(202, (await agent.ExpectResponseAsync(again, final: true)).StatusCode);
        Assert.Equal("SIP/2.0 100 Trying", await NotifyAsync(agent, bridged));
        Assert.Equal("SIP/2.0 480 Temporarily Unavailable", await NotifyAsync(agent, bridged));
        await AssertTalkingAsync(pbx, caller, bridged);

        await bridged.Call.ByeAsync();
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Transfer_target_does_not_answer_within_the_ring_timeout_caller_back_with_the_agent()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync(o => o.Rtp.TimeoutSeconds = 0);
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var target = await pbx.RegisteredPhoneAsync("1004");
        var caller = await pbx.QueuedCallerAsync();
        var bridged = await pbx.AnswerAsync(agent);

        var refer = Refer(bridged, $"<sip:1004@{Server}>");
        Assert.Equal(202, (await agent.ExpectResponseAsync(refer, final: true)).StatusCode);
        Assert.Equal("SIP/2.0 100 Trying", await NotifyAsync(agent, bridged));
        var ring = await pbx.RingingAsync(target);
        ring.Ring();
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(pbx.Options.Sip.RingTimeoutSeconds + 1));
        await target.ExpectRequestAsync(SipMethod.Cancel, ring.Invite.CallId);
        Assert.Equal("SIP/2.0 408 Request Timeout", await NotifyAsync(agent, bridged));
        await AssertTalkingAsync(pbx, caller, bridged);
        await caller.Call.ByeAsync();
        await agent.ExpectRequestAsync(SipMethod.Bye, bridged.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Refer_without_a_usable_target_is_400_from_the_caller_403_and_a_second_one_meanwhile_491()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var target = await pbx.RegisteredPhoneAsync("1004");
        var caller = await pbx.QueuedCallerAsync();
        var bridged = await pbx.AnswerAsync(agent);

        var none = bridged.Call.SendInDialog(SipMethod.Refer);
        Assert.Equal(400, (await agent.ExpectResponseAsync(none, final: true)).StatusCode);
        var fromCaller = caller.Call.SendInDialog(SipMethod.Refer, r => r.Headers.Add(HeaderName.ReferTo, $"<sip:1004@{Server}>"));
        Assert.Equal(403, (await caller.Peer.ExpectResponseAsync(fromCaller, final: true)).StatusCode);

        var first = Refer(bridged, $"<sip:1004@{Server}>");
        Assert.Equal(202, (await agent.ExpectResponseAsync(first, final: true)).StatusCode);
        var second = Refer(bridged, $"<sip:1004@{Server}>");
        Assert.Equal(491, (await agent.ExpectResponseAsync(second, final: true)).StatusCode);
        (await pbx.RingingAsync(target)).Reject(486);
        Assert.Equal("SIP/2.0 100 Trying", await NotifyAsync(agent, bridged));
        Assert.Equal("SIP/2.0 486 Busy Here", await NotifyAsync(agent, bridged));
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Agent_hangs_up_right_after_a_successful_transfer_the_caller_stays_with_the_new_party()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var target = await pbx.RegisteredPhoneAsync("1004");
        var caller = await pbx.QueuedCallerAsync();
        var bridged = await pbx.AnswerAsync(agent);
        Refer(bridged, $"<sip:1004@{Server}>");
        var transferred = await pbx.AnswerAsync(target);
        await NotifyAsync(agent, bridged);
        await NotifyAsync(agent, bridged);

        Assert.Equal(200, (await bridged.Call.ByeAsync()).StatusCode); // before the grace: the caller stays
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(6));
        Assert.False(caller.Peer.Has(m => m is SipRequest { Method: SipMethod.Bye }), "the caller stays");
        caller.Media.Tone(440);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(transferred.Media.ToneShare(440) > 0.7, "1004 hears the caller");
        await transferred.Call.ByeAsync();
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Caller_hangs_up_while_the_transfer_target_rings_target_gets_cancel_transferor_bye()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var target = await pbx.RegisteredPhoneAsync("1004");
        var caller = await pbx.QueuedCallerAsync();
        var bridged = await pbx.AnswerAsync(agent);
        Refer(bridged, $"<sip:1004@{Server}>");
        var ring = await pbx.RingingAsync(target);
        ring.Ring();

        await caller.Call.ByeAsync();
        await target.ExpectRequestAsync(SipMethod.Cancel, ring.Invite.CallId);
        await agent.ExpectRequestAsync(SipMethod.Bye, bridged.CallId);
        await pbx.NoCallsLeftAsync();
        await pbx.AgentStateAsync("1001", AgentState.WrapUp);
    }

    private static SipRequest Refer(Answered bridged, string target) =>
        bridged.Call.SendInDialog(SipMethod.Refer, r => r.Headers.Add(HeaderName.ReferTo, target));

    /// <summary>The next NOTIFY of the refer subscription on the agent's dialog: its sipfrag status line.</summary>
    private static async Task<string> NotifyAsync(SipTestPeer agent, Answered bridged)
    {
        var notify = await agent.ExpectRequestAsync(SipMethod.Notify, bridged.CallId);
        Assert.Equal("refer", notify.Headers.Get(HeaderName.Event));
        Assert.StartsWith("message/sipfrag", notify.Headers.Get(HeaderName.ContentType), StringComparison.Ordinal);
        return Encoding.ASCII.GetString(notify.Body).TrimEnd();
    }

    private static async Task AssertTalkingAsync(InProcessPbx pbx, Caller caller, Answered agent)
    {
        caller.Media.Tone(440);
        agent.Media.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(agent.Media.ToneShare(440) > 0.7, $"the agent hears the caller again: {agent.Media.Describe()}");
        Assert.True(caller.Media.ToneShare(1000) > 0.7, $"the caller hears the agent again: {caller.Media.ToneShare(1000):F2}");
    }
}
