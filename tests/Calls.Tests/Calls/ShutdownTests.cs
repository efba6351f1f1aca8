using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Media.Mixer;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// SIGTERM with calls up, in process: <c>PbxServer.StopAsync</c> ends every call (BYE to answered legs; a ringing call's
/// caller gets 503 and its callee CANCEL), and new calls are refused with 503 while it stops.
/// </summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_ends_answered_calls_with_bye_and_a_ringing_one_with_503_and_cancel()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var ringing = await pbx.RegisteredPhoneAsync("1003");
        var caller = pbx.Phone("1002");
        var talk = await caller.CallAsync("1001", Sdp.Audio(caller.Host, 30000));
        var answered = await pbx.AnswerAsync(agent);
        Assert.Equal(200, (await talk.FinalAsync()).StatusCode);
        var echo = await pbx.TrunkCallerAsync(number: "9000");
        var waiting = pbx.Phone("1004");
        var unanswered = await waiting.CallAsync("1003", Sdp.Audio(waiting.Host, 30002));
        var ring = await pbx.RingingAsync(ringing);
        ring.Ring();
        await unanswered.ProvisionalAsync(180);
        Assert.Equal(3, pbx.Server.Calls.ActiveCalls);

        await pbx.Server.StopAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(0, pbx.Server.Calls.ActiveCalls);
        await caller.ExpectRequestAsync(SipMethod.Bye, talk.Invite.CallId);
        await agent.ExpectRequestAsync(SipMethod.Bye, answered.CallId);
        await echo.Peer.ExpectRequestAsync(SipMethod.Bye, echo.CallId);
        var refused = await unanswered.FinalAsync();
        Assert.Equal(503, refused.StatusCode);
        await ringing.ExpectRequestAsync(SipMethod.Cancel, ring.Invite.CallId);

        var late = await pbx.Trunk().CallAsync("9000", Sdp.Audio("127.0.0.2", 30004));
        var busy = await late.FinalAsync();
        Assert.Equal((503, "30"), (busy.StatusCode, busy.Headers.Get(HeaderName.RetryAfter)));
        var target = pbx.Observer.Started.First();
        Assert.False(pbx.Server.Calls.Originate(new SupervisorCall(pbx.Server.Calls.Context, "2001", "1001", target,
            SupervisorMode.Listen, TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public async Task Stop_ends_ivr_and_queue_calls_with_bye()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var connected = await pbx.QueuedCallerAsync("+15550000002");
        var bridged = await pbx.AnswerAsync(agent);
        var waiting = await pbx.QueuedCallerAsync("+15550000003");
        var inIvr = await pbx.TrunkCallerAsync("+15550000004");

        await pbx.Server.StopAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(0, pbx.Server.Calls.ActiveCalls);
        foreach (var caller in new[] { connected, waiting, inIvr })
        {
            await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
            await caller.EndedAsync();
        }
        await agent.ExpectRequestAsync(SipMethod.Bye, bridged.CallId);
    }
}
