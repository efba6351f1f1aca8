using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;
using static Telephony.Pbx.Tests.Sip.Transactions.TransactionTestKit;

namespace Telephony.Pbx.Tests.Sip.Transactions;

public class ClientCancelTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task CancelBeforeProvisional_IsDeferredUntil180()
    {
        var kit = new TransactionTestKit();
        var invite = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);

        var cancelTask = invite.CancelAsync();
        kit.Advance(1);
        Assert.Empty(kit.Sender.Requests(SipMethod.Cancel));

        await kit.Deliver(Reply(invite.Request, 180));
        var cancel = Assert.Single(kit.Sender.Requests(SipMethod.Cancel));
        Assert.Equal(invite.Request.TopVia!.Branch, cancel.TopVia!.Branch);
        Assert.Single(cancel.Vias);
        Assert.Equal(new CSeq(1, SipMethod.Cancel), cancel.CSeq);
        Assert.Equal(invite.Request.RequestUri.ToString(), cancel.RequestUri.ToString());
        Assert.Null(cancel.To!.Tag);
        Assert.Equal("a1", cancel.From!.Tag);
        Assert.Equal(invite.Request.CallId, cancel.CallId);
        Assert.Equal(invite.Request.Headers.GetAll(HeaderName.Route), cancel.Headers.GetAll(HeaderName.Route));

        await kit.Deliver(Reply(cancel, 200));
        await kit.Deliver(Reply(invite.Request, 487));

        Assert.Equal(200, (await cancelTask.WaitAsync(Bound))!.StatusCode);
        Assert.Equal(487, Final(invite).StatusCode);
        Assert.Single(kit.Sender.Requests(SipMethod.Ack));
        Assert.Same(cancelTask, invite.CancelAsync());
    }

    [Fact]
    public async Task CancelCrossing200Ok_InviteAccepted_CancelGetsItsOwnAnswer()
    {
        var kit = new TransactionTestKit();
        var invite = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        await kit.Deliver(Reply(invite.Request, 180));

        var cancelTask = invite.CancelAsync();
        var cancel = Assert.Single(kit.Sender.Requests(SipMethod.Cancel));
        await kit.Deliver(Reply(invite.Request, 200));   // 200 OK crosses the CANCEL on the wire
        await kit.Deliver(Reply(cancel, 200));

        Assert.Equal(200, Final(invite).StatusCode);
        Assert.Equal(TransactionState.Accepted, invite.State);
        Assert.Equal(200, (await cancelTask.WaitAsync(Bound))!.StatusCode);
        Assert.Empty(kit.Sender.Requests(SipMethod.Ack)); // the TU ACKs the 2xx (and then sends BYE)
    }

    [Fact]
    public async Task A_200_after_the_487_of_a_cancelled_invite_goes_to_the_tu_which_acks_and_byes_it()
    {
        var kit = new TransactionTestKit();
        var invite = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        await kit.Deliver(Reply(invite.Request, 180));
        var cancelTask = invite.CancelAsync();
        var cancel = Assert.Single(kit.Sender.Requests(SipMethod.Cancel));
        await kit.Deliver(Reply(cancel, 200));
        await kit.Deliver(Reply(invite.Request, 487));
        Assert.Equal(TransactionState.Completed, invite.State);
        Assert.Single(kit.Sender.Requests(SipMethod.Ack)); // the transaction's ACK of the 487

        await kit.Deliver(Reply(invite.Request, 487)); // a retransmitted 487: ACKed again, not raised
        Assert.Equal(2, kit.Sender.Requests(SipMethod.Ack).Count);
        Assert.Empty(kit.Strays);

        await kit.Deliver(Reply(invite.Request, 200)); // the phone answers after all (RFC 3261 §15: ACK, then BYE)
        Assert.Equal(200, Assert.Single(kit.Strays).StatusCode);
        Assert.Equal(2, kit.Sender.Requests(SipMethod.Ack).Count); // no hop-by-hop ACK for a 2xx: the TU sends its own
        Assert.Equal(487, Final(invite).StatusCode);
        Assert.Equal(200, (await cancelTask.WaitAsync(Bound))!.StatusCode);
    }

    [Fact]
    public async Task CancelBeforeProvisional_FinalArrivesFirst_GivesUpQuietly()
    {
        var kit = new TransactionTestKit();
        var invite = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        var cancelTask = invite.CancelAsync();

        await kit.Deliver(Reply(invite.Request, 200));

        Assert.Null(await cancelTask.WaitAsync(Bound));
        Assert.Empty(kit.Sender.Requests(SipMethod.Cancel));
    }

    [Fact]
    public async Task CancelBeforeProvisional_TimerB_GivesUp()
    {
        var kit = new TransactionTestKit();
        var invite = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        var cancelTask = invite.CancelAsync();

        kit.Advance(32);

        Assert.Null(await cancelTask.WaitAsync(Bound));
        Assert.Equal(408, Final(invite).StatusCode);
    }

    [Fact]
    public async Task CancelAfterFinal_AndForNonInvite_ReturnsNull()
    {
        var kit = new TransactionTestKit();
        var invite = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        await kit.Deliver(Reply(invite.Request, 486));
        var options = kit.Layer.SendRequest(Outbound(SipMethod.Options, cseq: 2), PeerUdp);

        Assert.Null(await invite.CancelAsync().WaitAsync(Bound));
        Assert.Null(await options.CancelAsync().WaitAsync(Bound));
    }

    [Fact]
    public async Task CancelUnanswered_TimesOutWith408()
    {
        var kit = new TransactionTestKit();
        var invite = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        await kit.Deliver(Reply(invite.Request, 180));
        var cancelTask = invite.CancelAsync();

        kit.Advance(32);

        Assert.Equal(408, (await cancelTask.WaitAsync(Bound))!.StatusCode);
    }

    [Fact]
    public async Task TuBuiltCancelWithoutVia_GetsInviteBranch()
    {
        var kit = new TransactionTestKit();
        var invite = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        await kit.Deliver(Reply(invite.Request, 180));

        var cancel = kit.Layer.SendRequest(Outbound(SipMethod.Cancel), PeerUdp);

        Assert.Equal(invite.Request.TopVia!.Branch, cancel.Request.TopVia!.Branch);
    }
}
