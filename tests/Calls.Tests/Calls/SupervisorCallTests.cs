using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Media.Mixer;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// Supervision in process (RFC 7667 §3.6 mixing): supervisor 2001 dials *81/*82/*83 + agent, switches modes by DTMF
/// 1-4 and by <see cref="SupervisorCall.SetMode"/>; caller (440 Hz), agent (1000 Hz) and supervisor (1800 Hz) each
/// check by tone who hears whom (heard: share at least 0.15; not heard: under 0.03); take over BYEs the agent (and
/// releases it in its queue); refusals; the supervision events.
/// </summary>
public sealed class SupervisorCallTests
{
    private const double CallerHz = 440, AgentHz = 1000, SupervisorHz = 1800;

    [Fact]
    public async Task Listen_whisper_barge_by_dtmf_and_setmode_each_hears_the_right_parties_hangup_restores_the_bridge()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var (caller, agent) = await ExtensionCallAsync(pbx);
        var supervisor = await DialAsync(pbx, "*811001");
        var session = (SupervisorCall)await pbx.CallAsync(supervisor.Call.Invite.CallId!);
        Assert.True(await session.Joined);

        await AssertHearingAsync(pbx, caller, agent, supervisor.Media, SupervisorMode.Listen);
        supervisor.Media.Digit('2');
        await ModeAsync(pbx, session, SupervisorMode.Whisper);
        await AssertHearingAsync(pbx, caller, agent, supervisor.Media, SupervisorMode.Whisper);
        supervisor.Media.Digit('3');
        await ModeAsync(pbx, session, SupervisorMode.Barge);
        await AssertHearingAsync(pbx, caller, agent, supervisor.Media, SupervisorMode.Barge);
        session.SetMode(SupervisorMode.Listen);
        await ModeAsync(pbx, session, SupervisorMode.Listen);
        await AssertHearingAsync(pbx, caller, agent, supervisor.Media, SupervisorMode.Listen);
        supervisor.Media.Digit('7'); // not a mode: ignored
        await pbx.TickAsync(TimeSpan.FromMilliseconds(300));
        Assert.Equal(SupervisorMode.Listen, session.Mode);

        await supervisor.Call.ByeAsync();
        await InProcessPbx.WaitUntilAsync(() => caller.Target.Supervisor is null, "the supervisor left");
        caller.Media.Tone(CallerHz);
        agent.Media.Tone(AgentHz);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(agent.Media.ToneShare(CallerHz) > 0.7, "plain bridge again: " + agent.Media.Describe());
        Assert.True(caller.Media.ToneShare(AgentHz) > 0.7, "plain bridge again: " + caller.Media.Describe());

        var events = caller.Target.SupervisionLog;
        Assert.Equal(["started", "mode", "mode", "mode", "ended"], events.Select(e => e.Kind));
        Assert.Equal([SupervisorMode.Listen, SupervisorMode.Whisper, SupervisorMode.Barge, SupervisorMode.Listen, SupervisorMode.Listen],
            events.Select(e => e.Mode));
        Assert.All(events, e => Assert.Equal(("2001", "1001", session.Id), (e.Supervisor, e.Agent, e.SupervisorCallId)));
        Assert.Equal(5, pbx.Observer.Supervision.Count(s => s.Call.Id == caller.Target.Id));

        await caller.Call.ByeAsync();
        await agent.Phone.ExpectRequestAsync(SipMethod.Bye, agent.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Whisper_by_code_then_the_supervised_call_ends_supervisor_gets_bye()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var (caller, agent) = await ExtensionCallAsync(pbx);
        var supervisor = await DialAsync(pbx, "*821001");
        await AssertHearingAsync(pbx, caller, agent, supervisor.Media, SupervisorMode.Whisper);

        await agent.Call.ByeAsync();
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.Call.Invite.CallId);
        await supervisor.Phone.ExpectRequestAsync(SipMethod.Bye, supervisor.Call.Invite.CallId);
        await pbx.NoCallsLeftAsync();
        Assert.Equal("ended", caller.Target.SupervisionLog[^1].Kind);
    }

    [Fact]
    public async Task Take_over_of_an_extension_call_byes_the_agent_caller_and_supervisor_talk_supervisor_hangs_up_ends_it()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var (caller, agent) = await ExtensionCallAsync(pbx);
        var supervisor = await DialAsync(pbx, "*831001");
        await AssertHearingAsync(pbx, caller, agent, supervisor.Media, SupervisorMode.Barge);

        supervisor.Media.Digit('4');
        await pbx.TickUntilAsync(() => agent.Phone.Has(m => m is SipRequest { Method: SipMethod.Bye }), TimeSpan.FromSeconds(2),
            "the agent gets BYE");
        await agent.Phone.ExpectRequestAsync(SipMethod.Bye, agent.CallId);
        caller.Media.Tone(CallerHz);
        supervisor.Media.Tone(SupervisorHz);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(caller.Media.ToneShare(SupervisorHz) > 0.7, "the caller hears the supervisor: " + caller.Media.Describe());
        Assert.True(supervisor.Media.ToneShare(CallerHz) > 0.7, "the supervisor hears the caller: " + supervisor.Media.Describe());
        supervisor.Media.Digit('1'); // after a take over the mode stays
        await pbx.TickAsync(TimeSpan.FromMilliseconds(300));

        await supervisor.Call.ByeAsync();
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.Call.Invite.CallId);
        await pbx.NoCallsLeftAsync();
        Assert.Equal(["started", "mode", "ended"], caller.Target.SupervisionLog.Select(e => e.Kind));
        Assert.Equal(SupervisorMode.TakeOver, caller.Target.SupervisionLog[^1].Mode);
    }

    [Fact]
    public async Task Take_over_of_a_queue_call_releases_the_agent_in_the_queue_caller_stays_with_the_supervisor()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agentPhone = await pbx.RegisteredPhoneAsync("1001");
        var caller = await pbx.QueuedCallerAsync();
        var agent = await pbx.AnswerAsync(agentPhone);
        await pbx.RegisteredPhoneAsync("2001");
        var supervisor = await DialAsync(pbx, "*831001");
        Assert.Equal(AgentState.OnCall, (await pbx.AgentAsync("1001"))?.State);

        supervisor.Media.Digit('4');
        await pbx.TickUntilAsync(() => agentPhone.Has(m => m is SipRequest { Method: SipMethod.Bye }), TimeSpan.FromSeconds(2),
            "the agent gets BYE");
        await agentPhone.ExpectRequestAsync(SipMethod.Bye, agent.CallId);
        await pbx.AgentStateAsync("1001", AgentState.WrapUp);
        caller.Media.Tone(CallerHz);
        supervisor.Media.Tone(SupervisorHz);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(caller.Media.ToneShare(SupervisorHz) > 0.7, "the caller hears the supervisor: " + caller.Media.Describe());
        Assert.False(caller.Peer.Has(m => m is SipRequest { Method: SipMethod.Bye }), "the caller stays");

        await caller.Call.ByeAsync();
        await supervisor.Phone.ExpectRequestAsync(SipMethod.Bye, supervisor.Call.Invite.CallId);
        Assert.Equal(CallOutcome.Answered, (await caller.EndedAsync()).Outcome);
        var events = pbx.QueueEventsOf(caller.CallId);
        Assert.Equal([QueueEventKind.Entered, QueueEventKind.AgentRung, QueueEventKind.Answered, QueueEventKind.Transferred],
            events.Select(e => e.Kind));
        Assert.Equal(("1001", "supervisor:2001"), (events[3].Agent, events[3].Detail));
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Agent_transfers_a_supervised_caller_then_the_supervisor_leaves_caller_and_new_agent_still_talk()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agentPhone = await pbx.RegisteredPhoneAsync("1001");
        var targetPhone = await pbx.RegisteredPhoneAsync("1004");
        var caller = await pbx.QueuedCallerAsync();
        var agent = await pbx.AnswerAsync(agentPhone);
        var supervisor = await DialAsync(pbx, "*811001");
        var session = (SupervisorCall)await pbx.CallAsync(supervisor.Call.Invite.CallId!);
        Assert.True(await session.Joined);

        var refer = agent.Call.SendInDialog(SipMethod.Refer, r => r.Headers.Add(HeaderName.ReferTo, "<sip:1004@10.0.0.1>"));
        Assert.Equal(202, (await agentPhone.ExpectResponseAsync(refer, final: true)).StatusCode);
        var transferred = await pbx.AnswerAsync(targetPhone);
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(5.5));
        await agentPhone.ExpectRequestAsync(SipMethod.Bye, agent.CallId);
        await supervisor.Call.ByeAsync();
        await pbx.TickAsync(TimeSpan.FromMilliseconds(200));

        caller.Media.Tone(CallerHz);
        transferred.Media.Tone(AgentHz);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(transferred.Media.ToneShare(CallerHz) > 0.7, "the new agent hears the caller: " + transferred.Media.Describe());
        Assert.True(caller.Media.ToneShare(AgentHz) > 0.7, "the caller hears the new agent: " + caller.Media.Describe());
        await caller.Call.ByeAsync();
        await targetPhone.ExpectRequestAsync(SipMethod.Bye, transferred.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Codes_refused_not_a_supervisor_403_unknown_404_idle_agent_480_already_supervised_486()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var (caller, _) = await ExtensionCallAsync(pbx);
        Assert.Equal(403, await RefusedAsync(pbx, pbx.Phone("1003"), "*811001"));
        Assert.Equal(404, await RefusedAsync(pbx, pbx.Phone("2001"), "*819999"));
        Assert.Equal(480, await RefusedAsync(pbx, pbx.Phone("2001"), "*811004"));
        var first = await DialAsync(pbx, "*811001");
        Assert.Equal(486, await RefusedAsync(pbx, pbx.Phone("2001"), "*821001"));
        Assert.Equal(404, (await (await pbx.Trunk().CallAsync("*811001", Sdp.Audio("127.0.0.2", 30000))).FinalAsync()).StatusCode);

        await first.Call.ByeAsync();
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Originated_supervision_rings_every_phone_of_the_supervisor_first_to_answer_joins_setmode_whisper()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var (caller, agent) = await ExtensionCallAsync(pbx);
        var desk = await pbx.RegisteredPhoneAsync("2001");
        var mobile = await pbx.RegisteredPhoneAsync("2001");
        var target = pbx.Server.Calls.FindCallOfAgent("1001")!;
        var session = new SupervisorCall(pbx.Server.Calls.Context, "2001", "1001", target, SupervisorMode.Listen, TimeSpan.FromSeconds(20));
        Assert.True(pbx.Server.Calls.Originate(session));

        var unanswered = await pbx.RingingAsync(desk);
        var ring = await pbx.RingingAsync(mobile);
        Assert.Contains("<sip:*811001@", ring.Invite.Headers.Get(HeaderName.From), StringComparison.Ordinal);
        Assert.Contains("Supervise 1001", ring.Invite.Headers.Get(HeaderName.From), StringComparison.Ordinal);
        unanswered.Ring();
        var supervisor = await pbx.AnswerAsync(mobile, ring);
        await desk.ExpectRequestAsync(SipMethod.Cancel, unanswered.Invite.CallId);
        Assert.True(await session.Joined);
        Assert.True(session.IsOriginated);
        Assert.Same(session, target.Supervisor);

        await AssertHearingAsync(pbx, caller, agent, supervisor.Media, SupervisorMode.Listen);
        session.SetMode(SupervisorMode.Whisper);
        await ModeAsync(pbx, session, SupervisorMode.Whisper);
        await AssertHearingAsync(pbx, caller, agent, supervisor.Media, SupervisorMode.Whisper);

        await supervisor.Call.ByeAsync();
        await InProcessPbx.WaitUntilAsync(() => target.Supervisor is null, "the supervisor left");
        Assert.Equal(["started", "mode", "ended"], target.SupervisionLog.Select(e => e.Kind));
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Originated_supervision_not_answered_408_refused_486_agent_idle_480()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var (caller, _) = await ExtensionCallAsync(pbx);
        var phone = await pbx.RegisteredPhoneAsync("2001");
        var target = pbx.Server.Calls.FindCallOfAgent("1001")!;

        var silent = new SupervisorCall(pbx.Server.Calls.Context, "2001", "1001", target, SupervisorMode.Listen, TimeSpan.FromSeconds(5));
        pbx.Server.Calls.Originate(silent);
        var ring = await pbx.RingingAsync(phone);
        ring.Ring();
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(5.5));
        await phone.ExpectRequestAsync(SipMethod.Cancel, ring.Invite.CallId);
        Assert.False(await silent.Joined);
        Assert.Equal(408, silent.FailureStatus);
        Assert.Null(target.Supervisor);

        var refused = new SupervisorCall(pbx.Server.Calls.Context, "2001", "1001", target, SupervisorMode.Barge, TimeSpan.FromSeconds(5));
        pbx.Server.Calls.Originate(refused);
        (await pbx.RingingAsync(phone)).Reject(603);
        Assert.False(await refused.Joined);
        Assert.Equal(486, refused.FailureStatus);

        var wrongAgent = new SupervisorCall(pbx.Server.Calls.Context, "2001", "1004", target, SupervisorMode.Listen, TimeSpan.FromSeconds(5));
        pbx.Server.Calls.Originate(wrongAgent);
        Assert.False(await wrongAgent.Joined);
        Assert.Equal(480, wrongAgent.FailureStatus);
        var nobody = new SupervisorCall(pbx.Server.Calls.Context, "2002", "1001", target, SupervisorMode.Listen, TimeSpan.FromSeconds(5));
        pbx.Server.Calls.Originate(nobody);
        Assert.False(await nobody.Joined);
        Assert.Equal(480, nobody.FailureStatus); // the supervisor's phone is not registered

        Assert.Empty(target.SupervisionLog);
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    /// <summary>1002 (440 Hz) calls 1001 (1000 Hz) on a plain PBX: a bridged extension call.</summary>
    private static async Task<(ExtensionCaller Caller, Answered Agent)> ExtensionCallAsync(InProcessPbx pbx)
    {
        var agentPhone = await pbx.RegisteredPhoneAsync("1001");
        var phone = pbx.Phone("1002");
        var media = pbx.RtpPeer();
        var call = await phone.CallAsync("1001", media.Offer());
        var agent = await pbx.AnswerAsync(agentPhone);
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        media.ConnectTo(ok.Body);
        var target = await pbx.CallAsync(call.Invite.CallId!);
        await InProcessPbx.WaitUntilAsync(() => target.GetSupervisionTarget() is not null, "the call is bridged");
        return (new ExtensionCaller(phone, call, media, target), agent);
    }

    /// <summary>2001 dials <paramref name="code"/> and is answered.</summary>
    private static async Task<Dialed> DialAsync(InProcessPbx pbx, string code)
    {
        var phone = pbx.Phone("2001");
        var media = pbx.RtpPeer();
        var call = await phone.CallAsync(code, media.Offer());
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        media.ConnectTo(ok.Body);
        return new Dialed(phone, call, media);
    }

    private static async Task<int> RefusedAsync(InProcessPbx pbx, SipTestPeer phone, string code) =>
        (await (await phone.CallAsync(code, Sdp.Audio(phone.Host, 30000))).FinalAsync()).StatusCode;

    private static async Task ModeAsync(InProcessPbx pbx, SupervisorCall session, SupervisorMode mode) =>
        await pbx.TickUntilAsync(() => session.Mode == mode, TimeSpan.FromSeconds(1), $"mode {mode}");

    /// <summary>Everyone sends their tone for 1 s; then each checks who they heard in <paramref name="mode"/>.</summary>
    private static async Task AssertHearingAsync(InProcessPbx pbx, ExtensionCaller caller, Answered agent, RtpTestPeer supervisor,
        SupervisorMode mode)
    {
        caller.Media.Tone(CallerHz);
        agent.Media.Tone(AgentHz);
        supervisor.Tone(SupervisorHz);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        var agentHearsSupervisor = mode is SupervisorMode.Whisper or SupervisorMode.Barge;
        var callerHearsSupervisor = mode is SupervisorMode.Barge;
        Hears(caller.Media, AgentHz, true, $"{mode}: caller/agent");
        Hears(caller.Media, SupervisorHz, callerHearsSupervisor, $"{mode}: caller/supervisor");
        Hears(agent.Media, CallerHz, true, $"{mode}: agent/caller");
        Hears(agent.Media, SupervisorHz, agentHearsSupervisor, $"{mode}: agent/supervisor");
        Hears(supervisor, CallerHz, true, $"{mode}: supervisor/caller");
        Hears(supervisor, AgentHz, true, $"{mode}: supervisor/agent");
    }

    private static void Hears(RtpTestPeer listener, double hz, bool expected, string what)
    {
        var share = listener.ToneShare(hz);
        Assert.True(expected ? share >= 0.15 : share < 0.03, $"{what} ({hz} Hz) {(expected ? "heard" : "not heard")}: " + listener.Describe());
    }

    private sealed record Dialed(SipTestPeer Phone, UacCall Call, RtpTestPeer Media);

    private sealed record ExtensionCaller(SipTestPeer Peer, UacCall Call, RtpTestPeer Media, Call Target);
}
