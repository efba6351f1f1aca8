using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>Extension calls through the B2BUA (trunk DID or extension to extension), in process.</summary>
public sealed class BridgedCallTests
{
    private const string Did = "08001234567"; // the sample trunk's DID goes to 1001 while no IVR answers it

    [Fact]
    public async Task Trunk_did_rings_the_extension_and_the_caller_hangs_up()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();

        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        var incoming = await agent.ExpectCallAsync();
        Assert.Equal("+15550000001", incoming.Invite.From!.Uri.User);
        incoming.Ring();
        await call.ProvisionalAsync(180);
        incoming.Answer(Sdp.AnswerPcmu(agent.Host, 31000));
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        await agent.ExpectRequestAsync(SipMethod.Ack, incoming.Invite.CallId);

        Assert.Equal(200, (await call.ByeAsync()).StatusCode);
        await agent.ExpectRequestAsync(SipMethod.Bye, incoming.Invite.CallId);
        var ended = await pbx.Observer.EndedAsync(call.Invite.CallId!);
        Assert.Equal(CallOutcome.Answered, ended.Outcome);
        Assert.Equal(HangupSide.Caller, ended.Side);
    }

    [Fact]
    public async Task Ringing_longer_than_the_rtp_timeout_does_not_cut_the_caller_and_the_timeout_counts_from_the_answer()
    {
        await using var pbx = await InProcessPbx.StartAsync(configure: o =>
        {
            o.Rtp.TimeoutSeconds = 3;
            o.Sip.RingTimeoutSeconds = 30;
        });
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        var incoming = await agent.ExpectCallAsync();
        incoming.Ring();
        await call.ProvisionalAsync(180);

        await pbx.TickAsync(TimeSpan.FromSeconds(8)); // the caller hears ringing and sends no RTP yet
        Assert.False(trunk.Has(m => m is SipRequest { Method: SipMethod.Bye }), "the ringing caller was cut as 'no RTP'");
        Assert.False(agent.Has(m => m is SipRequest { Method: SipMethod.Cancel }), "the ringing callee was cancelled");

        incoming.Answer(Sdp.AnswerPcmu(agent.Host, 31000));
        Assert.Equal(200, (await call.FinalAsync()).StatusCode);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.False(trunk.Has(m => m is SipRequest { Method: SipMethod.Bye }), "cut right after the answer");
        // Still no RTP from anybody: the timeout now counts from the answer.
        await pbx.TickUntilAsync(() => trunk.Has(m => m is SipRequest { Method: SipMethod.Bye }), TimeSpan.FromSeconds(5),
            "BYE about 3 s after the answer without RTP");
    }

    [Fact]
    public async Task Callee_hangs_up_first()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        var incoming = await agent.ExpectCallAsync();
        incoming.Answer(Sdp.AnswerPcmu(agent.Host, 31000));
        await call.FinalAsync();
        await agent.ExpectRequestAsync(SipMethod.Ack);

        Assert.Equal(200, (await incoming.ByeAsync()).StatusCode);
        await trunk.ExpectRequestAsync(SipMethod.Bye, call.Invite.CallId);
        var ended = await pbx.Observer.EndedAsync(call.Invite.CallId!);
        Assert.Equal(HangupSide.Callee, ended.Side);
    }

    [Fact]
    public async Task Cancel_while_ringing_cancels_every_fork_and_answers_487()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var desk = await pbx.RegisteredPhoneAsync("1001");
        var mobile = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        (await desk.ExpectCallAsync()).Ring();
        (await mobile.ExpectCallAsync()).Ring();
        await call.ProvisionalAsync(180);

        call.Cancel();
        Assert.Equal(487, (await call.FinalAsync()).StatusCode);
        await desk.ExpectRequestAsync(SipMethod.Cancel);
        await mobile.ExpectRequestAsync(SipMethod.Cancel);
        var ended = await pbx.Observer.EndedAsync(call.Invite.CallId!);
        Assert.Equal(CallOutcome.Abandoned, ended.Outcome);
        Assert.Equal(HangupSide.Caller, ended.Side);
        Assert.Equal(0, pbx.Server.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Cancel_crossing_the_callees_200_ends_the_call_on_both_sides()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        var incoming = await agent.ExpectCallAsync();

        // The caller gives up at the moment the callee answers: both reach the server together.
        call.Cancel();
        incoming.Answer(Sdp.AnswerPcmu(agent.Host, 31000));

        var final = await call.FinalAsync();
        if (final.StatusCode == 200)
        {
            await call.ByeAsync(); // the 200 won (RFC 3261 §9.1: CANCEL has no effect after a final response)
        }
        else
        {
            Assert.Equal(487, final.StatusCode);
        }
        // Either way the callee's leg does not stay up: it gets a BYE (answered) after its ACK.
        await agent.ExpectRequestAsync(SipMethod.Bye, incoming.Invite.CallId);
        await pbx.Observer.EndedAsync(call.Invite.CallId!);
        Assert.Equal(0, pbx.Server.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Ring_timeout_cancels_the_callee_and_answers_480()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        (await agent.ExpectCallAsync()).Ring();
        await call.ProvisionalAsync(180);

        await pbx.AdvanceAsync(TimeSpan.FromSeconds(pbx.Options.Sip.RingTimeoutSeconds + 1));
        Assert.Equal(480, (await call.FinalAsync()).StatusCode);
        await agent.ExpectRequestAsync(SipMethod.Cancel);
        Assert.Equal(CallOutcome.NoAgent, (await pbx.Observer.EndedAsync(call.Invite.CallId!)).Outcome);
    }

    /// <summary>The callee answers exactly at the ring timeout: its 200 and the timeout reach the call together. Either
    /// the answer wins (the caller gets 200 and the call stays up: no BYE to either side) or the timeout does (480 to the
    /// caller, and the callee's 200, crossing the CANCEL, gets ACK and BYE); an answered call is never torn down by a
    /// ring timeout that fell due while its 200 was being handled.</summary>
    [Fact]
    public async Task Callee_answering_exactly_at_the_ring_timeout_is_connected_or_released_never_both()
    {
        // 20 s of ringing: well inside the 60 s media timeout (no RTP flows before the answer).
        await using var pbx = await InProcessPbx.StartAsync(configure: o => o.Sip.RingTimeoutSeconds = 20);
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        var incoming = await agent.ExpectCallAsync();
        incoming.Ring();
        incoming.AnswerWinsOverCancel();
        await call.ProvisionalAsync(180);
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(pbx.Options.Sip.RingTimeoutSeconds) - TimeSpan.FromMilliseconds(100));

        incoming.Answer(Sdp.AnswerPcmu(agent.Host, 31000));
        await Task.Delay(1); // the 200 reaches the call
        pbx.Time.Advance(TimeSpan.FromMilliseconds(200)); // the ring timeout falls due meanwhile
        var final = await call.FinalAsync();
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(2));

        bool Bye(SipMessage m, string? callId) => m is SipRequest { Method: SipMethod.Bye } r && r.CallId == callId;
        if (final.StatusCode == 200)
        {
            Assert.False(trunk.Has(m => Bye(m, call.Invite.CallId)), "the answered call was hung up on the caller");
            Assert.False(agent.Has(m => Bye(m, incoming.Invite.CallId)), "the answered call was hung up on the callee");
            Assert.Equal(1, pbx.Server.Calls.ActiveCalls);
            await call.ByeAsync();
            await agent.ExpectRequestAsync(SipMethod.Bye, incoming.Invite.CallId);
        }
        else
        {
            Assert.Equal(480, final.StatusCode);
            await agent.ExpectRequestAsync(SipMethod.Bye, incoming.Invite.CallId);
        }
        await pbx.Observer.EndedAsync(call.Invite.CallId!);
        Assert.Equal(0, pbx.Server.Calls.ActiveCalls);
    }

    [Theory]
    [InlineData(486)]
    [InlineData(603)]
    public async Task Busy_or_decline_is_relayed(int status)
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        (await agent.ExpectCallAsync()).Reject(status);
        Assert.Equal(status, (await call.FinalAsync()).StatusCode);
        var ended = await pbx.Observer.EndedAsync(call.Invite.CallId!);
        Assert.Equal(CallOutcome.NoAgent, ended.Outcome);
        Assert.Equal(HangupSide.Callee, ended.Side);
    }

    [Fact]
    public async Task Bye_glare_both_sides_hang_up_at_once()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        var incoming = await agent.ExpectCallAsync();
        incoming.Answer(Sdp.AnswerPcmu(agent.Host, 31000));
        await call.FinalAsync();
        await agent.ExpectRequestAsync(SipMethod.Ack);

        var callerBye = call.ByeAsync();
        var calleeBye = incoming.ByeAsync();
        var responses = await Task.WhenAll(callerBye, calleeBye);
        Assert.All(responses, r => Assert.True(r.StatusCode is 200 or 481, $"BYE answered {r.StatusCode}"));
        await pbx.Observer.EndedAsync(call.Invite.CallId!);
        Assert.Equal(0, pbx.Server.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Extension_to_extension_needs_credentials_407_then_rings()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var caller = pbx.Phone("1002");
        var callee = await pbx.RegisteredPhoneAsync("1001");
        var call = await caller.CallAsync("1001", Sdp.Audio(caller.Host, 30000)); // answers the 407 with digest
        var incoming = await callee.ExpectCallAsync();
        Assert.Equal("1002", incoming.Invite.From!.Uri.User);
        incoming.Answer(Sdp.AnswerPcmu(callee.Host, 31000));
        Assert.Equal(200, (await call.FinalAsync()).StatusCode);
        await call.ByeAsync();
    }

    [Theory]
    [InlineData("1001", "wrong", 403)]
    public async Task Wrong_password_is_refused(string extension, string password, int status)
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var caller = pbx.Phone(extension, password);
        var call = await caller.CallAsync("1002", Sdp.Audio(caller.Host, 30000));
        Assert.Equal(status, (await call.FinalAsync()).StatusCode);
    }

    [Fact]
    public async Task Unknown_number_404_not_registered_480_no_offer_488()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var trunk = pbx.Trunk();
        Assert.Equal(404, (await (await trunk.CallAsync("5555", Sdp.Audio(trunk.Host, 30000))).FinalAsync()).StatusCode);
        Assert.Equal(480, (await (await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30002))).FinalAsync()).StatusCode);
        Assert.Equal(488, (await (await trunk.CallAsync("9000", [])).FinalAsync()).StatusCode);
    }

    [Fact]
    public async Task Callee_183_with_sdp_early_media_is_relayed_then_answered()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var callerMedia = pbx.RtpPeer();
        var call = await trunk.CallAsync(Did, callerMedia.Offer());
        var incoming = await agent.ExpectCallAsync();
        var calleeMedia = pbx.RtpPeer();
        calleeMedia.ConnectTo(incoming.Invite.Body);
        calleeMedia.Tone(600);
        incoming.Ring(183, calleeMedia.Answer());
        var early = await call.ProvisionalAsync(183);
        Assert.NotEmpty(early.Body);
        callerMedia.ConnectTo(early.Body);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(callerMedia.ToneShare(600) > 0.7, "early media: " + callerMedia.Describe());

        incoming.Answer(calleeMedia.Answer());
        Assert.Equal(200, (await call.FinalAsync()).StatusCode);
        callerMedia.Tone(440);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(calleeMedia.ToneShare(440) > 0.7, "the callee hears the caller: " + calleeMedia.Describe());
        await call.ByeAsync();
        await agent.ExpectRequestAsync(SipMethod.Bye, incoming.Invite.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Max_forwards_1_is_483_too_many_hops()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var invite = trunk.NewRequest(SipMethod.Invite, Did);
        invite.Headers.Set(HeaderName.MaxForwards, "1");
        invite.Headers.Add(HeaderName.ContentType, "application/sdp");
        invite.Body = Sdp.Audio(trunk.Host, 30000);
        trunk.Send(invite);
        Assert.Equal(483, (await trunk.ExpectResponseAsync(invite, final: true)).StatusCode);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Callee_answers_with_unusable_sdp_caller_gets_488_and_the_callee_bye()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        var incoming = await agent.ExpectCallAsync();
        incoming.Answer(Sdp.Audio(agent.Host, 31000, codecs: "18"));
        Assert.Equal(488, (await call.FinalAsync()).StatusCode);
        await agent.ExpectRequestAsync(SipMethod.Bye, incoming.Invite.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Theory]
    [InlineData(404, 404)]
    [InlineData(488, 488)]
    [InlineData(500, 480)]
    public async Task Callee_failure_is_relayed_as(int status, int relayed)
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        (await agent.ExpectCallAsync()).Reject(status);
        Assert.Equal(relayed, (await call.FinalAsync()).StatusCode);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task One_fork_busy_the_other_answers_and_a_late_second_200_gets_ack_and_bye()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var desk = await pbx.RegisteredPhoneAsync("1001");
        var mobile = await pbx.RegisteredPhoneAsync("1001");
        var tablet = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        (await desk.ExpectCallAsync()).Reject(486);
        var late = await tablet.ExpectCallAsync();
        late.AnswerWinsOverCancel();
        var winner = await mobile.ExpectCallAsync();
        winner.Answer(Sdp.AnswerPcmu(mobile.Host, 31000));
        Assert.Equal(200, (await call.FinalAsync()).StatusCode);
        await tablet.ExpectRequestAsync(SipMethod.Cancel, late.Invite.CallId);
        late.Answer(Sdp.AnswerPcmu(tablet.Host, 31002)); // crossed the CANCEL
        await tablet.ExpectRequestAsync(SipMethod.Ack, late.Invite.CallId);
        await tablet.ExpectRequestAsync(SipMethod.Bye, late.Invite.CallId);

        await call.ByeAsync();
        await mobile.ExpectRequestAsync(SipMethod.Bye, winner.Invite.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Extension_with_only_a_stored_ha1_registers_and_calls()
    {
        var ha1 = Telephony.Pbx.Sip.Registrar.DigestAlgorithms.Hash(Telephony.Pbx.Sip.Registrar.DigestAlgorithm.Md5, "1002:telephony:pass1002");
        await using var pbx = await InProcessPbx.StartAsync(configure: o =>
        {
            var e = o.Extensions.Single(x => x.Number == "1002");
            e.Password = "";
            e.Ha1 = ha1;
        });
        Assert.Empty(pbx.Options.Validate());
        var caller = await pbx.RegisteredPhoneAsync("1002");
        var call = await caller.CallAsync("9000", Sdp.Audio(caller.Host, 30000));
        Assert.Equal(200, (await call.FinalAsync()).StatusCode);
        await call.ByeAsync();
        var wrong = pbx.Phone("1002", "not-the-password");
        Assert.Equal(403, (await wrong.RegisterAsync()).StatusCode);
    }
}
