using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Dialogs;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transactions;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

/// <summary>A leg we originate (UAC, RFC 3261 §13.2): one fork of the call towards one registered contact.</summary>
public sealed class OutboundLeg : CallLeg
{
    private readonly string _callId = SipIds.NewCallId();
    private readonly string _localTag = SipIds.NewTag();

    public OutboundLeg(Call call, SipStack stack, SipEndPoint destination) : base(call, stack)
    {
        Destination = destination;
        Sdp.Security = call.Context.SecurityFor(destination);
        Sdp.IsWebRtc = destination.Protocol.IsWebSocket(); // a browser (RFC 7118): our offer is ICE + DTLS-SRTP (RFC 8827)
    }

    public SipEndPoint Destination { get; }
    public override string CallId => _callId;
    public override string LocalTag => _localTag;
    public SipRequest? Invite { get; private set; }
    public ClientTransaction? InviteTransaction { get; private set; }
    public bool Answered { get; private set; }
    public bool Failed { get; private set; }
    public int FinalStatus { get; private set; }

    /// <summary>Builds and sends the INVITE. Responses are delivered through <paramref name="onResponse"/>.</summary>
    public void SendInvite(SipUri requestUri, NameAddress from, NameAddress to, byte[] sdpOffer, int maxForwards,
        Action<OutboundLeg, SipResponse> onResponse, IEnumerable<KeyValuePair<string, string>>? extraHeaders = null)
    {
        from.Tag = _localTag;
        var invite = new SipRequest(SipMethod.Invite, requestUri);
        invite.Headers.Add(HeaderName.MaxForwards, maxForwards.ToString(System.Globalization.CultureInfo.InvariantCulture));
        invite.Headers.Add(HeaderName.From, from.ToString());
        invite.Headers.Add(HeaderName.To, to.ToString());
        invite.Headers.Add(HeaderName.CallId, _callId);
        invite.Headers.Add(HeaderName.CSeq, new CSeq(1, SipMethod.Invite).ToString());
        invite.Headers.Add(HeaderName.Contact, Stack.ContactFor(Destination));
        invite.Headers.Add(HeaderName.Allow, SipStack.AllowedMethods);
        if (extraHeaders is not null)
        {
            foreach (var (name, value) in extraHeaders)
            {
                invite.Headers.Add(name, value);
            }
        }
        invite.Headers.Add(HeaderName.ContentType, "application/sdp");
        invite.Body = sdpOffer;
        Sdp.LastLocal = sdpOffer;
        Send(invite, onResponse);
    }

    /// <summary>
    /// Sends the INVITE again after a 401/407 with <paramref name="authHeaderName"/> (Authorization or
    /// Proxy-Authorization) set to <paramref name="authValue"/>: a new transaction with the same Call-ID, From tag, To
    /// and body, CSeq one higher (RFC 3261 §8.1.3.5, §22.2).
    /// </summary>
    public void ResendInvite(string authHeaderName, string authValue, Action<OutboundLeg, SipResponse> onResponse)
    {
        var previous = Invite ?? throw new InvalidOperationException("no INVITE sent yet");
        var invite = new SipRequest(SipMethod.Invite, previous.RequestUri);
        foreach (var (name, value) in previous.Headers)
        {
            if (name.Equals(HeaderName.Via, StringComparison.OrdinalIgnoreCase)
                || name.Equals(HeaderName.Authorization, StringComparison.OrdinalIgnoreCase)
                || name.Equals(HeaderName.ProxyAuthorization, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            invite.Headers.Add(name, name.Equals(HeaderName.CSeq, StringComparison.OrdinalIgnoreCase)
                ? new CSeq(previous.CSeq.Number + 1, SipMethod.Invite).ToString()
                : value);
        }
        invite.Headers.Add(authHeaderName, authValue);
        invite.Body = previous.Body;
        Send(invite, onResponse);
    }

    private void Send(SipRequest invite, Action<OutboundLeg, SipResponse> onResponse)
    {
        Invite = invite;
        InviteTransaction = Stack.Send(invite, Destination, (transaction, response) =>
        {
            if (Call.IsEnded && response.StatusCode is >= 200 and < 300)
            {
                // The call is gone (its executor takes no more work): answer the late 2xx here.
                _ = AcceptAndHangUpAsync(response).AsTask();
                return;
            }
            onResponse(this, response);
        });
        _ = InviteTransaction.FinalResponse.ContinueWith(t =>
        {
            // Timeouts (408) and transport errors (503) are synthesized locally and may not pass ResponseReceived.
            if (t.Result.StatusCode >= 300 && !Failed && !Answered)
            {
                onResponse(this, t.Result);
            }
        }, TaskScheduler.Default);
    }

    /// <summary>Records the dialog from a 2xx (or a 1xx with a tag) and acknowledges a 2xx.</summary>
    public async ValueTask AcceptAsync(SipResponse ok)
    {
        Answered = true;
        Dialog ??= Dialog.ForOutgoing(Invite!, ok, Destination);
        Dialog.RefreshTarget(ok);
        await SendAckAsync(ok);
    }

    /// <summary>
    /// A 2xx for a leg we no longer want (cancelled, another fork won, the call ended): ACK it and end the dialog with
    /// BYE (RFC 3261 §9.1, §13.2.2.4, §15), once, even though the leg was already marked terminated. Retransmissions of
    /// the 2xx are ACKed again.
    /// </summary>
    public async ValueTask AcceptAndHangUpAsync(SipResponse ok)
    {
        Answered = true;
        Dialog ??= Dialog.ForOutgoing(Invite!, ok, Destination);
        await SendAckAsync(ok);
        if (Interlocked.Exchange(ref _lateByeSent, 1) == 0 && !ByeSent)
        {
            ByeSent = true;
            _ = Stack.Send(Dialog.CreateRequest(SipMethod.Bye), Dialog.Destination).FinalResponse;
        }
        IsTerminated = true;
    }

    private int _lateByeSent;

    /// <summary>ACK for a 2xx (also for its retransmissions, RFC 3261 §13.2.2.4).</summary>
    public ValueTask<bool> SendAckAsync(SipResponse ok)
    {
        var dialog = Dialog ?? Dialog.ForOutgoing(Invite!, ok, Destination);
        var ack = dialog.CreateAck(Invite!.CSeq.Number);
        return Stack.SendAckAsync(ack, Destination);
    }

    public void MarkFailed(int status)
    {
        Failed = true;
        FinalStatus = status;
        IsTerminated = true;
    }

    public void Cancel()
    {
        if (!Answered && !Failed && InviteTransaction is not null)
        {
            _ = InviteTransaction.CancelAsync();
        }
    }
}
