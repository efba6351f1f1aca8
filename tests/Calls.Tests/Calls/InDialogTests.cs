using System.Text;
using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// In-dialog requests and admission in process: re-INVITE hold/unhold and offer-less re-INVITE (answer in the ACK,
/// RFC 3261 §14.2), UPDATE, INFO/OPTIONS, 405 for the rest, 481 for unknown dialogs, 500 for an old CSeq, 482 for a
/// Call-ID already in a call, 503 over sip.maxCalls, and the server's BYE when RTP or the ACK never comes.
/// </summary>
public sealed class InDialogTests
{
    [Fact]
    public async Task Hold_and_unhold_by_reinvite_are_answered_and_the_echo_resumes()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var caller = await pbx.TrunkCallerAsync(number: "9000");

        var hold = await caller.Call.ReinviteAsync(caller.Media.Offer("sendonly"));
        Assert.Equal(200, hold.StatusCode);
        Assert.Contains("a=recvonly", Encoding.ASCII.GetString(hold.Body), StringComparison.Ordinal);
        caller.Media.Tone(440);
        await pbx.TickAsync(TimeSpan.FromSeconds(0.5));
        Assert.Equal(0, caller.Media.ToneShare(440, 800)); // on hold: nothing sent to us

        var unhold = await caller.Call.ReinviteAsync(caller.Media.Offer());
        Assert.Equal(200, unhold.StatusCode);
        Assert.Contains("a=sendrecv", Encoding.ASCII.GetString(unhold.Body), StringComparison.Ordinal);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(caller.Media.ToneShare(440) > 0.9, "echo again: " + caller.Media.Describe());

        var update = await caller.Call.ReinviteAsync(caller.Media.Offer(), method: SipMethod.Update);
        Assert.Equal(200, update.StatusCode);
        var bad = await caller.Call.ReinviteAsync(Encoding.ASCII.GetBytes("v=0\r\nnonsense\r\n"));
        Assert.Equal(488, bad.StatusCode);
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Offerless_reinvite_gets_a_fresh_sendrecv_offer_and_the_answer_in_the_ack_applies()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var caller = await pbx.TrunkCallerAsync(number: "9000");
        Assert.Equal(200, (await caller.Call.ReinviteAsync(caller.Media.Offer("sendonly"))).StatusCode);

        var offer = await caller.Call.ReinviteAsync(null, ackSdp: caller.Media.Answer());
        Assert.Equal(200, offer.StatusCode);
        var text = Encoding.ASCII.GetString(offer.Body);
        Assert.Contains("a=sendrecv", text, StringComparison.Ordinal); // not the recvonly of the hold answer
        Assert.Contains("m=audio", text, StringComparison.Ordinal);
        caller.Media.Tone(440);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(caller.Media.ToneShare(440) > 0.9, "the answer in the ACK took the call off hold: " + caller.Media.Describe());

        // An ACK without the answer, then one with an unusable answer: media stays as it is.
        Assert.Equal(200, (await caller.Call.ReinviteAsync(null)).StatusCode);
        Assert.Equal(200, (await caller.Call.ReinviteAsync(null, Encoding.ASCII.GetBytes("v=0\r\n"))).StatusCode);
        await pbx.TickAsync(TimeSpan.FromSeconds(0.5));
        Assert.True(caller.Media.ToneShare(440) > 0.9, "still echoing: " + caller.Media.Describe());
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Info_and_options_are_200_message_and_refer_405_old_cseq_500()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var caller = await pbx.TrunkCallerAsync(number: "9000");
        var peer = caller.Peer;

        Assert.Equal(200, (await peer.ExpectResponseAsync(caller.Call.SendInDialog(SipMethod.Info), final: true)).StatusCode);
        var options = await peer.ExpectResponseAsync(caller.Call.SendInDialog(SipMethod.Options), final: true);
        Assert.Equal(200, options.StatusCode);
        Assert.Contains("INVITE", options.Headers.Get(HeaderName.Allow), StringComparison.Ordinal);
        var message = await peer.ExpectResponseAsync(caller.Call.SendInDialog(SipMethod.Message), final: true);
        Assert.Equal(405, message.StatusCode);
        Assert.NotNull(message.Headers.Get(HeaderName.Allow));
        var refer = caller.Call.SendInDialog(SipMethod.Refer, r => r.Headers.Add(HeaderName.ReferTo, "<sip:1001@10.0.0.1>"));
        Assert.Equal(405, (await peer.ExpectResponseAsync(refer, final: true)).StatusCode);

        var old = caller.Call.SendInDialog(SipMethod.Info, r => r.Headers.Set(HeaderName.CSeq, new CSeq(1, SipMethod.Info).ToString()));
        Assert.Equal(500, (await peer.ExpectResponseAsync(old, final: true)).StatusCode);
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Requests_for_unknown_dialogs_are_481()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var trunk = pbx.Trunk();
        var bye = trunk.NewRequest(SipMethod.Bye, "9000");
        bye.Headers.Set(HeaderName.To, "<sip:9000@10.0.0.1>;tag=nosuchtag");
        trunk.Send(bye);
        Assert.Equal(481, (await trunk.ExpectResponseAsync(bye, final: true)).StatusCode);
        var info = trunk.NewRequest(SipMethod.Info, "9000");
        trunk.Send(info);
        Assert.Equal(481, (await trunk.ExpectResponseAsync(info, final: true)).StatusCode);

        // A call that has ended: its dialog is gone too.
        var caller = await pbx.TrunkCallerAsync(number: "9000");
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
        Assert.Equal(481, (await trunk.ExpectResponseAsync(caller.Call.SendInDialog(SipMethod.Info), final: true)).StatusCode);
    }

    [Fact]
    public async Task Invite_with_the_call_id_of_a_call_in_progress_is_482()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var caller = await pbx.TrunkCallerAsync(number: "9000");
        var loop = caller.Peer.NewRequest(SipMethod.Invite, "9000", 1, caller.CallId);
        loop.Headers.Add(HeaderName.ContentType, "application/sdp");
        loop.Body = Sdp.Audio("127.0.0.2", 30002);
        caller.Peer.Send(loop);
        var refused = await caller.Peer.ExpectResponseAsync(loop, final: true);
        Assert.Equal(482, refused.StatusCode);
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Over_max_calls_new_invites_get_503_with_retry_after()
    {
        await using var pbx = await InProcessPbx.StartAsync(configure: o => o.Sip.MaxCalls = 1);
        var caller = await pbx.TrunkCallerAsync(number: "9000");
        var second = await pbx.Trunk().CallAsync("9000", Sdp.Audio("127.0.0.2", 30002));
        var busy = await second.FinalAsync();
        Assert.Equal((503, "10"), (busy.StatusCode, busy.Headers.Get(HeaderName.RetryAfter)));
        Assert.Equal(1, pbx.Server.Calls.RefusedOverCapacity);
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
        var third = await pbx.TrunkCallerAsync(number: "9000");
        await third.Call.ByeAsync();
    }

    [Fact]
    public async Task No_rtp_for_the_timeout_the_server_hangs_up_with_bye()
    {
        await using var pbx = await InProcessPbx.StartAsync(configure: o => o.Rtp.TimeoutSeconds = 2);
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync("9000", Sdp.Audio("127.0.0.1", 30000));
        Assert.Equal(200, (await call.FinalAsync()).StatusCode);
        await pbx.TickUntilAsync(() => trunk.Has(m => m is SipRequest { Method: SipMethod.Bye }), TimeSpan.FromSeconds(3),
            "BYE after 2 s without RTP");
        await trunk.ExpectRequestAsync(SipMethod.Bye, call.Invite.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task No_ack_for_the_200_the_server_hangs_up_with_bye()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var trunk = pbx.Trunk();
        var invite = trunk.NewRequest(SipMethod.Invite, "9000");
        invite.Headers.Add(HeaderName.ContentType, "application/sdp");
        invite.Body = Sdp.Audio("127.0.0.1", 30000);
        trunk.Send(invite);
        Assert.Equal(200, (await trunk.ExpectResponseAsync(invite, final: true)).StatusCode);
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(33));
        await trunk.ExpectRequestAsync(SipMethod.Bye, invite.CallId);
        await pbx.NoCallsLeftAsync();
    }
}
