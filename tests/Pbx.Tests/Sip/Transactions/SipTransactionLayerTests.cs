using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;
using static Telephony.Pbx.Tests.Sip.Transactions.TransactionTestKit;

namespace Telephony.Pbx.Tests.Sip.Transactions;

public class SipTransactionLayerTests
{
    [Fact]
    public async Task Cancel_MatchingPendingInvite_200WithInviteTag_RaisesCancelled_Then487()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];
        var cancelled = 0;
        st.Cancelled += _ => cancelled++;
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 180));

        await kit.Deliver(Inbound(SipMethod.Cancel));

        var ok = Assert.Single(kit.Sender.Responses(200));
        Assert.Equal(SipMethod.Cancel, ok.CSeq.Method);
        Assert.Equal(st.ToTag, ok.To!.Tag);
        Assert.Equal(1, cancelled);
        Assert.True(st.IsCancelled);
        Assert.Single(kit.Received);   // CANCEL is not given to the TU

        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 487));
        Assert.Equal(st.ToTag, kit.Sender.Responses(487)[0].To!.Tag);

        await kit.Deliver(Inbound(SipMethod.Cancel)); // retransmitted CANCEL: same 200, no second event
        Assert.Equal(2, kit.Sender.Responses(200).Count);
        Assert.Equal(1, cancelled);
    }

    [Fact]
    public async Task Cancel_BeforeAnyResponse_TagSharedWithLater487()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];

        await kit.Deliver(Inbound(SipMethod.Cancel));
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 487));

        Assert.Equal(kit.Sender.Responses(200)[0].To!.Tag, kit.Sender.Responses(487)[0].To!.Tag);
    }

    [Fact]
    public async Task Cancel_Unmatched_481()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Cancel, branch: "z9hG4bKnothing"));

        Assert.Single(kit.Sender.Responses(481));
        Assert.Empty(kit.Received);
    }

    [Fact]
    public async Task Cancel_AfterFinal_200_NoCancelledEvent()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];
        var cancelled = 0;
        st.Cancelled += _ => cancelled++;
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 200, null, "t1"));

        await kit.Deliver(Inbound(SipMethod.Cancel));

        Assert.Equal(2, kit.Sender.Responses(200).Count);
        Assert.Equal(0, cancelled);
        Assert.False(st.IsCancelled);
    }

    [Fact]
    public async Task AckMatchingNothing_GoesToTu()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Ack, branch: "z9hG4bKlone", toTag: "x"));
        Assert.Single(kit.Acks);
        Assert.Empty(kit.Received);
    }

    [Fact]
    public async Task UnmatchedResponse_GoesToStrayHandler()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(SipResponse.CreateFor(Inbound(SipMethod.Invite, branch: "z9hG4bKgone"), 200, null, "t"));
        Assert.Single(kit.Strays);
    }

    [Fact]
    public async Task SameBranch_DifferentSentBy_IsNewTransaction()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Options));
        var other = Inbound(SipMethod.Options);
        other.Headers.Set(HeaderName.Via, "SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKpeer1");
        await kit.Deliver(other);

        Assert.Equal(2, kit.Received.Count);
    }

    [Fact]
    public async Task Rfc2543Branch_RetransmissionMatchedByCallIdCSeqFromTagUri()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite, branch: "oldstyle1"));
        var st = kit.Received[0];
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 486, null, "t1"));

        await kit.Deliver(Inbound(SipMethod.Invite, branch: "oldstyle1"));
        Assert.Single(kit.Received);
        Assert.Equal(2, kit.Sender.Responses(486).Count);

        await kit.Deliver(Inbound(SipMethod.Ack, branch: "oldstyle1", toTag: "t1"));
        Assert.Equal(TransactionState.Confirmed, st.State);

        await kit.Deliver(Inbound(SipMethod.Invite, branch: "oldstyle1", cseq: 2));
        Assert.Equal(2, kit.Received.Count);
    }

    [Fact]
    public async Task ThrowingHandler_DoesNotEscape()
    {
        var kit = new TransactionTestKit();
        kit.User.Request = _ => throw new InvalidOperationException("boom");
        await kit.Deliver(Inbound(SipMethod.Options));
        Assert.Equal(1, kit.Layer.ActiveTransactions);
    }

    [Fact]
    public async Task SendStateless_AckFor2xx_GetsFreshBranch_NoTransaction()
    {
        var kit = new TransactionTestKit();
        var ack = Outbound(SipMethod.Ack);

        Assert.True(await kit.Layer.SendStatelessAsync(ack, PeerUdp));

        Assert.StartsWith("z9hG4bK", ack.TopVia!.Branch);
        Assert.Equal(0, kit.Layer.ActiveTransactions);
        Assert.Single(kit.Sender.Requests(SipMethod.Ack));
    }

    [Fact]
    public async Task Dispose_TerminatesEverything_ClientFinal503()
    {
        var kit = new TransactionTestKit();
        var tx = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        await kit.Deliver(Inbound(SipMethod.Invite));

        await kit.Layer.DisposeAsync();

        Assert.Equal(0, kit.Layer.ActiveTransactions);
        Assert.Equal(503, Final(tx).StatusCode);
        Assert.Equal(TransactionState.Terminated, kit.Received[0].State);
    }

    [Fact]
    public async Task ParallelRetransmissions_CreateOneTransaction()
    {
        var kit = new TransactionTestKit();
        var received = 0;
        kit.User.Request = _ =>
        {
            Interlocked.Increment(ref received);
            return ValueTask.CompletedTask;
        };

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await kit.Deliver(Inbound(SipMethod.Invite));
            }
        })));

        Assert.Equal(1, received);
        Assert.Equal(1, kit.Layer.ActiveTransactions);
        // Every retransmission is answered with the last response: the 100 Trying made for the first of them.
        Assert.Equal(16 * 50 - 1, kit.Sender.Responses(100).Count);
        Assert.Equal(kit.Sender.Sent.Count, kit.Sender.Responses(100).Count);
    }
}
