using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Dialogs;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Calls;

/// <summary>The caller's leg: we are the UAS of the INVITE that created the call (RFC 3261 §13.3).</summary>
public sealed class InboundLeg : CallLeg
{
    private readonly string _localTag;

    public InboundLeg(Call call, SipStack stack, ServerTransaction invite) : base(call, stack)
    {
        InviteTransaction = invite;
        _localTag = invite.ToTag; // the tag the transaction layer also uses for its 200 to CANCEL
        Dialog = Dialog.ForIncoming(invite.Request, _localTag, invite.Remote);
        Sdp.Security = call.Context.SecurityFor(invite.Remote);
    }

    public ServerTransaction InviteTransaction { get; }
    public SipRequest Invite => InviteTransaction.Request;
    public override string CallId => Invite.CallId!;
    public override string LocalTag => _localTag;
    public bool Answered { get; private set; }
    public bool Confirmed { get; private set; }
    public bool FinalSent { get; private set; }

    /// <summary>Final non-2xx status sent to the caller, or null.</summary>
    public int? RejectStatus { get; private set; }

    /// <summary>The caller's INVITE had a sips: Request-URI: our Contact is sips: too (RFC 3261 §12.1.1).</summary>
    private bool IsSips => string.Equals(Invite.RequestUri.Scheme, "sips", StringComparison.OrdinalIgnoreCase);

    public ValueTask SendProvisionalAsync(int status, byte[]? sdp = null)
    {
        if (FinalSent)
        {
            return ValueTask.CompletedTask;
        }
        var response = Stack.CreateResponse(Invite, status, null, _localTag);
        response.Headers.Add(HeaderName.Contact, Stack.ContactFor(InviteTransaction.Remote, secure: IsSips));
        if (sdp is not null)
        {
            response.Headers.Add(HeaderName.ContentType, "application/sdp");
            response.Body = sdp;
        }
        return InviteTransaction.SendResponseAsync(response);
    }

    public ValueTask AnswerAsync(byte[] sdp)
    {
        if (FinalSent)
        {
            return ValueTask.CompletedTask;
        }
        FinalSent = true;
        Answered = true;
        var ok = Stack.CreateResponse(Invite, 200, null, _localTag);
        ok.Headers.Add(HeaderName.Contact, Stack.ContactFor(InviteTransaction.Remote, secure: IsSips));
        ok.Headers.Add(HeaderName.Allow, SipStack.AllowedMethods);
        ok.Headers.Add(HeaderName.ContentType, "application/sdp");
        ok.Body = sdp;
        Sdp.LastLocal = sdp;
        // The 2xx leaves first: what the observers do on answer (open the recording file, queue the call record's
        // database writes) is not on the caller's INVITE->200 path. Their work still runs on this call's executor,
        // before anything the caller sends next (ACK, BYE) is handled.
        var sending = InviteTransaction.SendResponseAsync(ok);
        Media?.RestartRtpTimeout(); // the caller sends RTP from our 200 on: ringing time does not count as silence
        Call.NotifyAnswered(this);
        return sending;
    }

    public ValueTask RejectAsync(int status, string? reason = null, Action<SipResponse>? decorate = null)
    {
        if (FinalSent)
        {
            return ValueTask.CompletedTask;
        }
        FinalSent = true;
        IsTerminated = true;
        RejectStatus = status;
        var response = Stack.CreateResponse(Invite, status, reason, _localTag);
        decorate?.Invoke(response);
        return InviteTransaction.SendResponseAsync(response);
    }

    public void OnAck() => Confirmed = true;
}
