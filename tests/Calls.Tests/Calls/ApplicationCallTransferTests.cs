using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// <see cref="ApplicationCall.TransferAsync"/> (the agent desktop's blind transfer, RFC 5589 §6 without the REFER) on the
/// sample call center in process: refused while no agent is connected, back to the agent when the target cannot be
/// reached, and to another queue with the same interaction, the agent released after the grace time.
/// </summary>
public sealed class ApplicationCallTransferTests
{
    private const string SupportLine = "08001234567";

    [Fact]
    public async Task Transfer_refused_without_agent_back_to_agent_on_failure_then_to_sales_and_agent_released()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var agentMedia = pbx.RtpPeer("10.0.2.1");
        var sales = await pbx.RegisteredPhoneAsync("1003");
        var salesMedia = pbx.RtpPeer("10.0.2.3");
        var trunk = pbx.Trunk();
        var callerMedia = pbx.RtpPeer("10.0.2.9");

        var call = await trunk.CallAsync(SupportLine, callerMedia.Offer());
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        callerMedia.ConnectTo(ok.Body);
        var app = Assert.IsType<ApplicationCall>(await pbx.CallAsync(call.Invite.CallId!));

        // In the IVR: nobody to transfer from.
        Assert.Equal(403, await app.TransferAsync("sales"));

        await pbx.TickAsync(TimeSpan.FromSeconds(4));
        callerMedia.Digit('2');
        await pbx.TickUntilAsync(() => agent.Has(m => m is SipRequest { Method: SipMethod.Invite }), TimeSpan.FromSeconds(30),
            "agent 1001 rings");
        var ring = await agent.ExpectCallAsync();
        ring.Answer(agentMedia.Answer());
        agentMedia.ConnectTo(ring.Invite.Body);
        await agent.ExpectRequestAsync(SipMethod.Ack, ring.Invite.CallId);
        await pbx.TickUntilAsync(() => app.BridgedAgent is not null, TimeSpan.FromSeconds(2), "caller bridged to 1001");

        // 1004 is not registered: the transfer fails and the caller is back with 1001, audio both ways.
        var failed = app.TransferAsync("1004");
        await pbx.TickUntilAsync(() => failed.IsCompleted, TimeSpan.FromSeconds(5), "transfer to 1004 completes");
        Assert.Equal(480, await failed);
        Assert.Equal("1001", app.BridgedAgent?.Agent);
        callerMedia.Tone(440);
        agentMedia.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(agentMedia.ToneShare(440) > 0.7, $"1001 hears the caller again: {agentMedia.ToneShare(440):F2}");
        Assert.True(callerMedia.ToneShare(1000) > 0.7, $"the caller hears 1001 again: {callerMedia.ToneShare(1000):F2}");

        // To the sales queue: same interaction, 1003 rings; 1001 is released (BYE) after the grace time.
        var moved = app.TransferAsync("sales");
        await pbx.TickUntilAsync(() => moved.IsCompleted, TimeSpan.FromSeconds(5), "transfer to sales completes");
        Assert.Equal(200, await moved);
        Assert.Null(app.BridgedAgent);
        await pbx.TickUntilAsync(() => sales.Has(m => m is SipRequest { Method: SipMethod.Invite }), TimeSpan.FromSeconds(10),
            "1003 rings from the sales queue");
        var salesRing = await sales.ExpectCallAsync();
        Assert.Equal("sales", salesRing.Invite.Headers.Get("X-Telephony-Queue"));
        Assert.Equal(app.InteractionId, salesRing.Invite.Headers.Get("X-Telephony-Interaction"));
        salesRing.Answer(salesMedia.Answer());
        salesMedia.ConnectTo(salesRing.Invite.Body);
        await sales.ExpectRequestAsync(SipMethod.Ack, salesRing.Invite.CallId);
        await pbx.TickUntilAsync(() => agent.AutoAnswered.Any(r => r.Method == SipMethod.Bye), TimeSpan.FromSeconds(8),
            "1001 released after the grace time");
        salesMedia.Tone(1500);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(salesMedia.ToneShare(440) > 0.7, $"1003 hears the caller: {salesMedia.ToneShare(440):F2}");
        Assert.True(callerMedia.ToneShare(1500) > 0.7, $"the caller hears 1003: {callerMedia.ToneShare(1500):F2}");

        await call.ByeAsync();
        var ended = await pbx.Observer.EndedAsync(call.Invite.CallId!);
        Assert.Equal(CallOutcome.Answered, ended.Outcome);
        var events = pbx.Observer.QueueEvents.Where(e => e.Call.Id == call.Invite.CallId)
            .Select(e => $"{e.Event.Kind}:{e.Event.Queue}").ToList();
        Assert.Equal(["Entered:support", "AgentRung:support", "Answered:support", "Transferred:support",
            "Entered:sales", "AgentRung:sales", "Answered:sales"], events);
    }
}
