using System.Runtime.CompilerServices;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;
using static Telephony.Pbx.Tests.Sip.Transactions.TransactionTestKit;

namespace Telephony.Pbx.Tests.Sip.Transactions;

/// <summary>
/// Transactions linger after their work is done (Timer L after an acknowledged 2xx, Timer J after a non-INVITE
/// final, Timer D/K on the client side: 32 s on UDP) only to absorb retransmissions. They must not keep the
/// transaction user (a finished call, its media session) alive meanwhile: at 1,000 call setups a second that is
/// 32,000 calls held. Subscribers are let go as soon as their event can no longer be raised.
/// </summary>
public sealed class TransactionReleaseTests
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference SubscribeCall(ServerTransaction st, bool terminated = false)
    {
        var call = new byte[100_000]; // stands for the call, its legs and media
        st.AckTimedOut += _ => GC.KeepAlive(call);
        st.Cancelled += _ => GC.KeepAlive(call);
        if (terminated)
        {
            st.Terminated += _ => GC.KeepAlive(call); // held until the transaction terminates, by definition
        }

        return new WeakReference(call);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference SubscribeCall(ClientTransaction ct)
    {
        var call = new byte[100_000];
        ct.ResponseReceived += (_, _) => GC.KeepAlive(call);
        return new WeakReference(call);
    }

    private static bool Collected(WeakReference reference)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return !reference.IsAlive;
    }

    [Fact]
    public async Task Acknowledged_2xx_lets_go_of_the_call_while_Timer_L_absorbs_INVITE_retransmissions()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var st = kit.Received[0];
        var call = SubscribeCall(st);
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 200, null, "t1"));
        Assert.False(Collected(call)); // no ACK yet: AckTimedOut may still be raised

        await kit.Deliver(Inbound(SipMethod.Ack, branch: "z9hG4bKack2xx", toTag: "t1"));
        Assert.Equal(TransactionState.Accepted, st.State);
        Assert.True(Collected(call));

        await kit.Deliver(Inbound(SipMethod.Invite)); // still absorbed, not a new request, not answered again
        Assert.Single(kit.Received);
        Assert.Single(kit.Sender.Responses(200));
        kit.Advance(32);
        Assert.Equal(TransactionState.Terminated, st.State);
    }

    [Fact]
    public async Task Non_2xx_final_lets_go_once_ACKed_and_a_BYE_transaction_once_terminated()
    {
        var kit = new TransactionTestKit();
        await kit.Deliver(Inbound(SipMethod.Invite));
        var invite = kit.Received[0];
        var inviteCall = SubscribeCall(invite);
        await invite.SendResponseAsync(SipResponse.CreateFor(invite.Request, 486, null, "t1"));
        await kit.Deliver(Inbound(SipMethod.Ack, toTag: "t1"));
        Assert.Equal(TransactionState.Confirmed, invite.State);
        Assert.True(Collected(inviteCall));

        await kit.Deliver(Inbound(SipMethod.Bye, branch: "z9hG4bKbye", cseq: 2, toTag: "t1"));
        var bye = kit.Received[1];
        var byeCall = SubscribeCall(bye, terminated: true);
        await bye.SendResponseAsync(SipResponse.CreateFor(bye.Request, 200));
        kit.Advance(32); // Timer J
        Assert.Equal(TransactionState.Terminated, bye.State);
        Assert.True(Collected(byeCall));
    }

    [Fact]
    public async Task Client_transaction_lets_go_after_a_non_2xx_final()
    {
        var kit = new TransactionTestKit();
        var ct = kit.Layer.SendRequest(Outbound(SipMethod.Invite), PeerUdp);
        var call = SubscribeCall(ct);
        var sent = kit.Sender.Requests(SipMethod.Invite)[0];
        await kit.Deliver(Reply(sent, 480));
        Assert.Equal(TransactionState.Completed, ct.State); // Timer D: 32 s on UDP
        Assert.True(Collected(call));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> AnswerAndForget(TransactionTestKit kit, SipRequest request, int status,
        string? toTag = null)
    {
        await kit.Deliver(request);
        var st = kit.Received[^1];
        kit.Received.Clear(); // the transaction user keeps nothing
        await st.SendResponseAsync(SipResponse.CreateFor(st.Request, status, null, toTag));
        return new WeakReference(st);
    }

    [Fact]
    public async Task A_BYE_transaction_waiting_out_Timer_J_is_not_held_and_still_answers_retransmissions()
    {
        var kit = new TransactionTestKit();
        var bye = Inbound(SipMethod.Bye, branch: "z9hG4bKbye2", cseq: 2, toTag: "t1");
        var transaction = await AnswerAndForget(kit, bye, 200);
        Assert.True(Collected(transaction)); // request, transaction and timers gone; the final response is kept
        Assert.Equal(1, kit.Layer.ActiveTransactions);

        await kit.Deliver(Inbound(SipMethod.Bye, branch: "z9hG4bKbye2", cseq: 2, toTag: "t1"));
        Assert.Equal(2, kit.Sender.Responses(200).Count); // retransmission answered with the same final response
        Assert.Empty(kit.Received);                        // and not passed up as a new request
        kit.Advance(32);
        Assert.Equal(0, kit.Layer.ActiveTransactions);
        await kit.Deliver(Inbound(SipMethod.Bye, branch: "z9hG4bKbye2", cseq: 2, toTag: "t1"));
        Assert.Single(kit.Received); // after Timer J it is a new transaction again
    }

    [Fact]
    public async Task An_acknowledged_INVITE_is_not_held_absorbs_retransmissions_and_answers_a_late_CANCEL()
    {
        var kit = new TransactionTestKit();
        var invite = await AnswerAndForget(kit, Inbound(SipMethod.Invite), 200, "t9");
        await kit.Deliver(Inbound(SipMethod.Ack, branch: "z9hG4bKack", toTag: "t9"));
        Assert.True(Collected(invite));

        await kit.Deliver(Inbound(SipMethod.Invite));
        Assert.Empty(kit.Received);
        Assert.Single(kit.Sender.Responses(200)); // absorbed, not answered again
        await kit.Deliver(Inbound(SipMethod.Cancel));
        var ok = kit.Sender.Responses(200)[^1];
        Assert.Equal(SipMethod.Cancel, ok.CSeq.Method);
        Assert.Equal("t9", ok.To!.Tag);
        kit.Advance(32);
        Assert.Equal(0, kit.Layer.ActiveTransactions);
    }
}
