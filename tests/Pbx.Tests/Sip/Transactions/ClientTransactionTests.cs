using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;
using static Telephony.Pbx.Tests.Sip.Transactions.TransactionTestKit;

namespace Telephony.Pbx.Tests.Sip.Transactions;

public class ClientTransactionTests
{
    private static bool IsInvite(SipMessage m) => m is SipRequest { Method: SipMethod.Invite };

    private static bool IsOptions(SipMessage m) => m is SipRequest { Method: SipMethod.Options };

    [Fact]
    public void SendRequest_AddsViaWithBranchAndRport_AndMaxForwards()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);

        var via = tx.Request.TopVia!;
        Assert.Equal("UDP", via.Transport);
        Assert.Equal("127.0.0.1", via.Host);
        Assert.Equal(5070, via.Port);
        Assert.StartsWith("z9hG4bK", via.Branch);
        Assert.True(via.HasRPort);
        Assert.Equal(70, tx.Request.MaxForwards);
        Assert.Single(kit.Sender.Requests(SipMethod.Invite));
        Assert.Equal(TransactionState.Calling, tx.State);
    }

    [Fact]
    public void SendRequest_KeepsExistingBranch_AddsBranchWhenMissing()
    {
        var kit = new TransactionTestKit();
        var withBranch = Outbound(SipMethod.Options);
        withBranch.Headers.AddFirst(HeaderName.Via, "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKmine");
        Assert.Equal("z9hG4bKmine", kit.Layer.SendRequest(withBranch, PeerUdp).Request.TopVia!.Branch);

        var noBranch = Outbound(SipMethod.Options, cseq: 2);
        noBranch.Headers.AddFirst(HeaderName.Via, "SIP/2.0/UDP 127.0.0.1:5070");
        var tx = kit.Layer.SendRequest(noBranch, PeerUdp);
        Assert.StartsWith("z9hG4bK", tx.Request.TopVia!.Branch);
        Assert.Single(tx.Request.Headers.GetAll(HeaderName.Via));
    }

    [Fact]
    public void SendRequest_Ack_Throws()
    {
        var kit = new TransactionTestKit();
        Assert.Throws<ArgumentException>(() => kit.Layer.SendRequest(Outbound(SipMethod.Ack), PeerUdp));
    }

    [Fact]
    public void InviteClient_Udp_TimerA_DoublesWithoutCap_UntilTimerB()
    {
        var kit = new TransactionTestKit();
        kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);

        var times = kit.SendTimes(IsInvite, until: 40);

        // First send at 0; retransmissions at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 (A = 0.5, 1, 2, 4, 8, 16).
        Assert.Equal([0.5, 1.5, 3.5, 7.5, 15.5, 31.5], times);
    }

    [Fact]
    public void InviteClient_TimerB_CompletesWith408_AndTerminates()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        var terminated = 0;
        tx.Terminated += _ => terminated++;

        kit.Advance(31.9);
        Assert.False(tx.FinalResponse.IsCompleted);
        kit.Advance(0.1);

        Assert.True(tx.FinalResponse.IsCompleted);
        Assert.Equal(408, Final(tx).StatusCode);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(1, terminated);
        Assert.Equal(0, kit.Layer.ActiveTransactions);
    }

    [Fact]
    public void InviteClient_Tcp_NoRetransmissions_TimerBStillApplies()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerTcp);
        Assert.Equal("TCP", tx.Request.TopVia!.Transport);

        kit.Advance(31.9);
        Assert.Single(kit.Sender.Requests(SipMethod.Invite));
        kit.Advance(0.1);
        Assert.Equal(408, Final(tx).StatusCode);
    }

    [Fact]
    public async Task InviteClient_Provisional_StopsRetransmissions_AndTimerB()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        var seen = new List<int>();
        tx.ResponseReceived += (_, r) => seen.Add(r.StatusCode);

        await kit.Deliver(Reply(tx.Request, 180));
        kit.Advance(120);

        Assert.Equal(TransactionState.Proceeding, tx.State);
        Assert.Single(kit.Sender.Requests(SipMethod.Invite));
        Assert.False(tx.FinalResponse.IsCompleted);
        Assert.Equal([180], seen);
    }

    [Fact]
    public async Task InviteClient_Non2xx_AckBuiltPerRfc3261_17_1_1_3()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        await kit.Deliver(Reply(tx.Request, 180));
        await kit.Deliver(Reply(tx.Request, 486, toTag: "callee9"));

        var ack = Assert.Single(kit.Sender.Requests(SipMethod.Ack));
        Assert.Equal(tx.Request.RequestUri.ToString(), ack.RequestUri.ToString());
        Assert.Equal(tx.Request.TopVia!.Branch, ack.TopVia!.Branch);
        Assert.Single(ack.Vias);
        Assert.Equal("callee9", ack.To!.Tag);
        Assert.Equal("a1", ack.From!.Tag);
        Assert.Equal(tx.Request.CallId, ack.CallId);
        Assert.Equal(new CSeq(1, SipMethod.Ack), ack.CSeq);
        Assert.Equal(["<sip:proxy.example.com;lr>"], ack.Headers.GetAll(HeaderName.Route));
        Assert.Equal(70, ack.MaxForwards);
        Assert.Equal(486, Final(tx).StatusCode);
        Assert.Equal(TransactionState.Completed, tx.State);
    }

    [Fact]
    public async Task InviteClient_RetransmittedNon2xx_AckResent_NotPassedUp_TimerDTerminates()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        var finals = 0;
        tx.ResponseReceived += (_, r) => finals += r.StatusCode >= 200 ? 1 : 0;
        var busy = Reply(tx.Request, 486);

        await kit.Deliver(busy);
        await kit.Deliver(busy);

        Assert.Equal(2, kit.Sender.Requests(SipMethod.Ack).Count);
        Assert.Equal(1, finals);
        kit.Advance(31.9);
        Assert.Equal(TransactionState.Completed, tx.State);
        kit.Advance(0.1);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, kit.Layer.ActiveTransactions);
    }

    [Fact]
    public async Task InviteClient_Tcp_Non2xx_TimerDIsZero()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerTcp);
        await kit.Deliver(Reply(tx.Request, 603), PeerTcp);

        Assert.Single(kit.Sender.Requests(SipMethod.Ack));
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task InviteClient_2xx_Accepted_PassesRetransmissionsAndForksToTu_NoAck_ThenTimerM()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        var seen = new List<string?>();
        tx.ResponseReceived += (_, r) => seen.Add(r.To!.Tag);
        var ok = Reply(tx.Request, 200, "leg1");

        await kit.Deliver(ok);
        await kit.Deliver(ok);
        await kit.Deliver(Reply(tx.Request, 200, "leg2"));

        Assert.Equal(TransactionState.Accepted, tx.State);
        Assert.Equal(["leg1", "leg1", "leg2"], seen);
        Assert.Equal("leg1", Final(tx).To!.Tag);
        Assert.Empty(kit.Sender.Requests(SipMethod.Ack));   // the TU ACKs 2xx

        kit.Advance(32);
        Assert.Equal(TransactionState.Terminated, tx.State);
        await kit.Deliver(ok);
        Assert.Single(kit.Strays);
    }

    [Fact]
    public void NonInviteClient_Udp_TimerE_DoublesCappedAtT2_TimerF408()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Options), PeerUdp);

        var times = kit.SendTimes(IsOptions, until: 40);

        // E = 0.5, 1, 2, 4, 4, 4 ... ; F at 32 s ends it.
        Assert.Equal([0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5], times);
        Assert.Equal(408, Final(tx).StatusCode);
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task NonInviteClient_Proceeding_RetransmitsEveryT2()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Options), PeerUdp);
        kit.Advance(0.25);
        await kit.Deliver(Reply(tx.Request, 100));
        Assert.Equal(TransactionState.Proceeding, tx.State);

        var times = kit.SendTimes(IsOptions, until: 12);

        // Pending timer E (0.5) fires, then every T2.
        Assert.Equal([0.25, 4.25, 8.25], times);
    }

    [Fact]
    public async Task NonInviteClient_Final_Completed_TimerK_AbsorbsRetransmissions()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Options), PeerUdp);
        var count = 0;
        tx.ResponseReceived += (_, _) => count++;
        var ok = Reply(tx.Request, 200);

        await kit.Deliver(ok);
        await kit.Deliver(ok);
        kit.Advance(4.9);

        Assert.Equal(1, count);
        Assert.Equal(TransactionState.Completed, tx.State);
        Assert.Single(kit.Sender.Requests(SipMethod.Options));
        kit.Advance(0.1);
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task NonInviteClient_Tcp_NoRetransmissions_TimerKIsZero()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Register), PeerTcp);
        kit.Advance(20);
        Assert.Single(kit.Sender.Requests(SipMethod.Register));

        await kit.Deliver(Reply(tx.Request, 200), PeerTcp);
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void TransportFailure_Completes503()
    {
        var kit = new TransactionTestKit();
        kit.Sender.Fail = true;
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);

        Assert.Equal(503, Final(tx).StatusCode);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, kit.Layer.ActiveTransactions);
    }

    [Fact]
    public async Task ResponseWithOtherCSeqMethod_DoesNotMatch()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        var reply = Reply(tx.Request, 200);
        reply.Headers.Set(HeaderName.CSeq, "1 BYE");

        await kit.Deliver(reply);

        Assert.Equal(TransactionState.Calling, tx.State);
        Assert.Single(kit.Strays);
    }
}
