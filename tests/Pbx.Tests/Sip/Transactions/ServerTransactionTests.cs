using System.Net;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;
using static Telephony.Pbx.Tests.Sip.Transactions.TransactionTestKit;

namespace Telephony.Pbx.Tests.Sip.Transactions;

public class ServerTransactionTests
{
    private static bool IsFinal(SipMessage m) => m is SipResponse { StatusCode: >= 200 };

    [Fact]
    public async Task InviteServer_Sends100TryingAfter200ms_WhenTuSilent()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = Assert.Single(kit.Received);
        Assert.Equal(TransactionState.Proceeding, st.State);

        kit.Advance(0.19);
        Assert.Empty(kit.Sender.Sent);
        kit.Advance(0.01);

        var trying = Assert.Single(kit.Sender.Responses(100));
        Assert.Null(trying.To!.Tag);
        Assert.Equal(PeerUdp, kit.Sender.Sent[0].Remote);
    }

    [Theory]
    [InlineData(false)] // the 100 of the 200 ms timer
    [InlineData(true)]  // the 100 answering a retransmitted INVITE
    public async Task A100_StalledOnItsWayOut_NeverFollowsThe200_DecidedAfterIt(bool retransmission)
    {
        // Seen at 800 setups/s: the thread sending the 100 was preempted between deciding it and sending it, the TU's
        // 200 went out first, and SIPp (already past its 200) aborted the call on the late 100.
        var kit = new TransactionTestKit();
        using var release = new ManualResetEventSlim();
        using var sending100 = new ManualResetEventSlim();
        kit.Sender.BeforeRecord = m =>
        {
            if (m is SipResponse { StatusCode: 100 })
            {
                sending100.Set();
                release.Wait(TimeSpan.FromSeconds(5));
            }
        };
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = Assert.Single(kit.Received);

        var trying = retransmission
            ? Task.Run(async () => await kit.Deliver(Inbound(SipMethod.Invite)))
            : Task.Run(() => kit.Advance(0.2));
        Assert.True(sending100.Wait(TimeSpan.FromSeconds(5)), "no 100 sent");
        var ok = Task.Run(async () => await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 200, null, "t1")));
        await Task.Delay(100); // time for the 200 to overtake the stalled 100 if it can
        release.Set();
        await Task.WhenAll(trying, ok).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([100, 200], kit.Sender.Responses().Select(r => r.StatusCode));
    }

    [Fact]
    public async Task InviteFromTheProxy_Gets100Trying_BeforeTheTuSeesIt()
    {
        // Behind Kamailio (fr_timer 1 s): the 100 must not wait for a timer that runs late on a loaded node, or the
        // proxy fails the INVITE over to another node while this one still answers it.
        var kit = new TransactionTestKit([PeerUdp.EndPoint.Address]);
        var sentBeforeTu = -1;
        kit.User.Request = st =>
        {
            sentBeforeTu = kit.Sender.Responses(100).Count;
            kit.Received.Add(st);
            return ValueTask.CompletedTask;
        };
        await kit.Deliver(Inbound(SipMethod.Invite));

        Assert.Equal(1, sentBeforeTu);
        var trying = Assert.Single(kit.Sender.Responses(100));
        Assert.Null(trying.To!.Tag);
        kit.Advance(1);
        Assert.Single(kit.Sender.Responses(100)); // no second one from the timer

        await kit.Deliver(Inbound(SipMethod.Options, branch: "z9hG4bKopt"));
        Assert.Single(kit.Sender.Responses(100)); // non-INVITE: the TU answers
    }

    [Fact]
    public async Task InviteFromAnotherSource_StillWaits200ms_WhenAProxyIsConfigured()
    {
        var kit = new TransactionTestKit([IPAddress.Parse("10.0.0.99")]);
        await kit.Deliver(Inbound(SipMethod.Invite));
        Assert.Empty(kit.Sender.Sent);
        kit.Advance(0.2);
        Assert.Single(kit.Sender.Responses(100));
    }

    [Fact]
    public async Task InviteServer_NoAutomatic100_WhenTuAnswersFirst()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 180, null, "t1"));

        kit.Advance(1);

        Assert.Empty(kit.Sender.Responses(100));
        Assert.Single(kit.Sender.Responses(180));
    }

    [Fact]
    public async Task NonInviteServer_NeverSends100Automatically()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Options));
        kit.Advance(1);
        Assert.Equal(TransactionState.Trying, kit.Received[0].State);
        Assert.Empty(kit.Sender.Sent);
    }

    [Fact]
    public async Task RetransmittedInvite_Absorbed_AnsweredWithLastResponse()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 180, null, "t1"));

        await kit.Deliver(Inbound(SipMethod.Invite));

        Assert.Single(kit.Received);
        Assert.Equal(2, kit.Sender.Responses(180).Count);
    }

    [Fact]
    public async Task RetransmittedInvite_BeforeAnyResponse_Answered100Immediately()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        await kit.Deliver(Inbound(SipMethod.Invite));

        Assert.Single(kit.Received);
        Assert.Single(kit.Sender.Responses(100));
        kit.Advance(1);
        Assert.Single(kit.Sender.Responses(100));
    }

    [Fact]
    public async Task InviteServer_Non2xx_TimerG_DoublesCappedAtT2_TimerH_AckTimedOut()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];
        var timedOut = 0;
        st.AckTimedOut += _ => timedOut++;
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 486, null, "t1"));
        Assert.Equal(TransactionState.Completed, st.State);

        var times = kit.SendTimes(IsFinal, until: 40);

        // G = 0.5, 1, 2, 4, 4, ...; H at 32 s.
        Assert.Equal([0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5], times);
        Assert.Equal(1, timedOut);
        Assert.Equal(TransactionState.Terminated, st.State);
        Assert.Equal(0, kit.Layer.ActiveTransactions);
    }

    [Fact]
    public async Task InviteServer_AckForNon2xx_Confirmed_NotPassedToTu_TimerI()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 404, null, "t1"));

        await kit.Deliver(Inbound(SipMethod.Ack, toTag: "t1"));
        Assert.Equal(TransactionState.Confirmed, st.State);
        Assert.Empty(kit.Acks);

        kit.Advance(4.9);
        Assert.Single(kit.Sender.Responses(404));  // retransmissions stopped
        await kit.Deliver(Inbound(SipMethod.Ack, toTag: "t1")); // absorbed
        Assert.Empty(kit.Acks);
        kit.Advance(0.1);
        Assert.Equal(TransactionState.Terminated, st.State);
    }

    [Fact]
    public async Task InviteServer_Tcp_NoTimerG_TimerIZero()
    {
        var kit = new TransactionTestKit();
        var invite = Inbound(SipMethod.Invite);
        await kit.Deliver(invite, PeerTcp);
        var st = kit.Received[0];
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 480, null, "t1"));

        kit.Advance(10);
        Assert.Single(kit.Sender.Responses(480));
        await kit.Deliver(Inbound(SipMethod.Ack, toTag: "t1"), PeerTcp);
        Assert.Equal(TransactionState.Terminated, st.State);
    }

    [Fact]
    public async Task InviteServer_2xx_Accepted_RetransmitsUntilAck_AckForwardedToTu()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];
        var timedOut = 0;
        st.AckTimedOut += _ => timedOut++;
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 200, null, "t1"));
        Assert.Equal(TransactionState.Accepted, st.State);

        kit.Advance(0.5); // retransmits at 0.5 and 1.5
        kit.Advance(1);
        Assert.Equal(3, kit.Sender.Responses(200).Count);
        await kit.Deliver(Inbound(SipMethod.Invite)); // retransmitted INVITE absorbed in Accepted
        Assert.Single(kit.Received);

        // The ACK for a 2xx is its own transaction: new branch.
        await kit.Deliver(Inbound(SipMethod.Ack, branch: "z9hG4bKack2xx", toTag: "t1"));
        var ack = Assert.Single(kit.Acks);
        Assert.Equal("z9hG4bKack2xx", ack.TopVia!.Branch);

        kit.Advance(31);
        Assert.Equal(3, kit.Sender.Responses(200).Count);
        Assert.Equal(TransactionState.Terminated, st.State);
        Assert.Equal(0, timedOut);
    }

    [Fact]
    public async Task InviteServer_2xx_NoAck_RetransmitScheduleThenAckTimedOut()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];
        var timedOut = 0;
        st.AckTimedOut += _ => timedOut++;
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 200, null, "t1"));

        var times = kit.SendTimes(m => m is SipResponse { StatusCode: 200 }, until: 40);

        Assert.Equal([0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5], times);
        Assert.Equal(1, timedOut);
        Assert.Equal(TransactionState.Terminated, st.State);
    }

    [Fact]
    public async Task InviteServer_2xxOverTcp_NotRetransmitted()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite), PeerTcp);
        var st = kit.Received[0];
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 200, null, "t1"));

        kit.Advance(10);

        Assert.Single(kit.Sender.Responses(200));
    }

    [Fact]
    public async Task NonInviteServer_Final_RetransmissionAnswered_TimerJ()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Options));
        var st = kit.Received[0];
        await kit.Deliver(Inbound(SipMethod.Options)); // Trying: absorbed
        Assert.Empty(kit.Sender.Sent);
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 200, null, "t1"));

        await kit.Deliver(Inbound(SipMethod.Options));
        Assert.Equal(2, kit.Sender.Responses(200).Count);
        kit.Advance(10);
        Assert.Equal(2, kit.Sender.Responses(200).Count); // no timer-driven retransmission for non-INVITE
        kit.Advance(21.9);
        Assert.Equal(TransactionState.Completed, st.State);
        kit.Advance(0.1);
        Assert.Equal(TransactionState.Terminated, st.State);
        Assert.Single(kit.Received);
    }

    [Fact]
    public async Task NonInviteServer_Tcp_TimerJZero()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Register), PeerTcp);
        var st = kit.Received[0];
        var terminated = 0;
        st.Terminated += _ => terminated++;

        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 200, null, "t1"));

        Assert.Equal(TransactionState.Terminated, st.State);
        Assert.Equal(1, terminated);
        Assert.Equal(0, kit.Layer.ActiveTransactions);
    }

    [Fact]
    public async Task Responses_WithoutToTag_GetTheTransactionTag_ExceptTrying()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 100));
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 180));
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 486));

        Assert.Null(kit.Sender.Responses(100)[0].To!.Tag);
        var tag = kit.Sender.Responses(180)[0].To!.Tag;
        Assert.False(string.IsNullOrEmpty(tag));
        Assert.Equal(tag, kit.Sender.Responses(486)[0].To!.Tag);
        Assert.Equal(tag, st.ToTag);
    }

    [Fact]
    public async Task ResponseAfterFinal_Dropped()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 486, null, "t1"));
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 200, null, "t1"));

        Assert.Empty(kit.Sender.Responses(200));
        Assert.Equal(TransactionState.Completed, st.State);
    }
}
