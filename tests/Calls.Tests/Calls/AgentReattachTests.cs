using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// A browser agent's page reloads mid-call (its SIP WebSocket closes, no BYE; simulated by
/// <c>PbxServer.OnSipConnectionClosed</c>, which the WebSocket transport's ConnectionClosed event calls): the customer is
/// parked on the server for <c>rtp.webRtcReattachGraceSeconds</c> (30 s), the reloaded page (a new contact of the same
/// extension) is re-INVITEd with <c>X-Telephony-Reattach</c> and bridged back; past the grace the caller is back at the
/// head of the queue; a caller who hangs up meanwhile just ends the call.
/// </summary>
public sealed class AgentReattachTests
{
    [Fact]
    public async Task Agent_page_reloads_mid_call_and_is_reattached_within_the_grace_with_audio_both_ways()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var page = await pbx.RegisteredPhoneAsync("1001");
        await pbx.AgentStateAsync("1001", AgentState.Available);
        var caller = await pbx.QueuedCallerAsync();
        var first = await pbx.AnswerAsync(page);
        var call = await pbx.ApplicationCallAsync(caller.CallId);

        pbx.Server.OnSipConnectionClosed(page.Address); // the page reloads: its WebSocket closes without BYE
        await InProcessPbx.WaitUntilAsync(() => call.ParkedFor == "1001", "caller parked for 1001");
        Assert.Null(call.BridgedAgent);
        await pbx.TickAsync(TimeSpan.FromSeconds(5)); // the reload takes a while; the caller stays
        Assert.False(call.IsEnded);

        var reloaded = await pbx.RegisteredPhoneAsync("1001");
        var ring = await pbx.RingingAsync(reloaded);
        Assert.Equal(call.InteractionId, ring.Invite.Headers.Get(AgentReattach.Header));
        Assert.Equal(call.InteractionId, ring.Invite.Headers.Get("X-Telephony-Interaction"));
        var second = await pbx.AnswerAsync(reloaded, ring);
        await InProcessPbx.WaitUntilAsync(() => call.ParkedFor is null, "parking over");

        caller.Media.Tone(440);
        second.Media.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(second.Media.ToneShare(440) > 0.7, $"the reloaded page hears the caller: {second.Media.ToneShare(440):F2}");
        Assert.True(caller.Media.ToneShare(1000) > 0.7, $"the caller hears the reloaded page: {caller.Media.ToneShare(1000):F2}");
        Assert.False(page.Has(m => m is SipRequest { Method: SipMethod.Bye }), "no BYE to the gone page");
        await pbx.AgentStateAsync("1001", AgentState.OnCall);

        await pbx.TickAsync(TimeSpan.FromSeconds(40)); // past the grace: nothing changes once re-attached
        Assert.Equal(second.CallId, call.BridgedAgent?.Winner?.CallId);
        await caller.Call.ByeAsync();
        await reloaded.ExpectRequestAsync(SipMethod.Bye, second.CallId);
        Assert.False(page.Has(m => m is SipRequest { Method: SipMethod.Bye } bye && bye.CallId == first.CallId));
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Dtls_close_of_the_reloading_page_after_its_websocket_closed_keeps_the_parked_caller()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var page = await pbx.RegisteredPhoneAsync("1001");
        await pbx.AgentStateAsync("1001", AgentState.Available);
        var caller = await pbx.QueuedCallerAsync();
        await pbx.AnswerAsync(page);
        var call = await pbx.ApplicationCallAsync(caller.CallId);
        var agentLeg = call.BridgedAgent!.Winner!;
        var agentMedia = agentLeg.Media!;

        // Chromium closes the WebSocket first, then sends DTLS close_notify on the media as the page unloads (seen in CI):
        // the session's TransportFailed (raised before the release, delivered after it) reaches the call's executor.
        pbx.Server.OnSipConnectionClosed(page.Address);
        await InProcessPbx.WaitUntilAsync(() => call.ParkedFor == "1001", "caller parked for 1001");
        call.Executor.Post(() => call.OnSessionTransportFailedAsync(agentLeg, agentMedia, "DTLS closed by the peer (close_notify)"));
        await pbx.TickAsync(TimeSpan.FromSeconds(2));
        Assert.False(call.IsEnded, "the late DTLS close of the gone page must not end the customer's call");
        Assert.Equal("1001", call.ParkedFor);

        var reloaded = await pbx.RegisteredPhoneAsync("1001");
        var ring = await pbx.RingingAsync(reloaded);
        Assert.Equal(call.InteractionId, ring.Invite.Headers.Get(AgentReattach.Header));
        await pbx.AnswerAsync(reloaded, ring);
        await InProcessPbx.WaitUntilAsync(() => call.ParkedFor is null, "re-attached");
        Assert.False(call.IsEnded);
    }

    [Fact]
    public async Task Agent_not_back_within_the_grace_puts_the_caller_back_at_the_head_of_the_queue()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync(o => o.Rtp.TimeoutSeconds = 0);
        var page = await pbx.RegisteredPhoneAsync("1001");
        await pbx.AgentStateAsync("1001", AgentState.Available);
        var first = await pbx.QueuedCallerAsync("+15550000001");
        await pbx.AnswerAsync(page);
        var call = await pbx.ApplicationCallAsync(first.CallId);
        var second = await pbx.QueuedCallerAsync("+15550000002"); // waits: nobody free

        pbx.Server.OnSipConnectionClosed(page.Address);
        await InProcessPbx.WaitUntilAsync(() => call.ParkedFor == "1001", "caller parked");
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.Equal("1001", call.ParkedFor);
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(2));
        await InProcessPbx.WaitUntilAsync(() => call.ParkedFor is null, "grace over");
        await pbx.AgentStateAsync("1001", AgentState.LoggedOut); // its phone is gone
        Assert.False(call.IsEnded);

        var other = await pbx.RegisteredPhoneAsync("1002");
        var ring = await pbx.RingingAsync(other);
        Assert.Equal(call.InteractionId, ring.Invite.Headers.Get("X-Telephony-Interaction")); // the first caller, not the waiting one
        Assert.Null(ring.Invite.Headers.Get(AgentReattach.Header));
        var answered = await pbx.AnswerAsync(other, ring);
        first.Media.Tone(440);
        answered.Media.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(answered.Media.ToneShare(440) > 0.7, "1002 hears the requeued caller");
        Assert.True(first.Media.ToneShare(1000) > 0.7, "the requeued caller hears 1002");
        Assert.False(second.Call.Invite is null);
    }

    [Fact]
    public async Task Caller_hangs_up_during_the_grace_and_the_reloaded_page_is_not_rung()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var page = await pbx.RegisteredPhoneAsync("1001");
        await pbx.AgentStateAsync("1001", AgentState.Available);
        var caller = await pbx.QueuedCallerAsync();
        await pbx.AnswerAsync(page);
        var call = await pbx.ApplicationCallAsync(caller.CallId);

        pbx.Server.OnSipConnectionClosed(page.Address);
        await InProcessPbx.WaitUntilAsync(() => call.ParkedFor == "1001", "caller parked");
        await pbx.TickAsync(TimeSpan.FromSeconds(2));
        var bye = await caller.Call.ByeAsync();
        Assert.Equal(200, bye.StatusCode);
        await pbx.NoCallsLeftAsync();

        var reloaded = await pbx.RegisteredPhoneAsync("1001");
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(31));
        Assert.False(reloaded.Has(m => m is SipRequest { Method: SipMethod.Invite }), "the reloaded page is not rung");
        Assert.False(page.Has(m => m is SipRequest { Method: SipMethod.Bye }), "no BYE to the gone page");
        await pbx.AgentStateAsync("1001", AgentState.Available); // logged out with the ended call, back in by registering
    }
}
