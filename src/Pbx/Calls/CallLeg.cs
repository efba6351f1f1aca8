using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Dialogs;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Calls;

/// <summary>
/// One SIP dialog of a call, as the B2BUA sees it: the signalling side (dialog, transactions) and the media side
/// (our RTP session anchored on the server, plus the SDP state we answer re-INVITEs with).
/// </summary>
public abstract class CallLeg(Call call, SipStack stack)
{
    public Call Call { get; } = call;
    protected SipStack Stack { get; } = stack;
    public Dialog? Dialog { get; protected set; }
    public RtpSession? Media { get; set; }
    public MediaSdpState Sdp { get; } = new();
    public bool IsTerminated { get; protected set; }

    /// <summary>
    /// Our SDP offer sent in the 2xx to an offer-less re-INVITE (RFC 3261 §14.2), until the ACK brings the answer.
    /// </summary>
    public byte[]? PendingOffer { get; set; }

    /// <summary>CSeq number of the re-INVITE whose 2xx carried <see cref="PendingOffer"/> (its ACK has the same number).</summary>
    public uint PendingOfferCSeq { get; set; }

    /// <summary>Call-ID of this leg's dialog.</summary>
    public abstract string CallId { get; }
    /// <summary>Our tag in this leg's dialog (To tag when we are UAS, From tag when we are UAC).</summary>
    public abstract string LocalTag { get; }

    /// <summary>Sends BYE if the dialog is established and not ended. Does not wait for the answer.</summary>
    public void SendBye(string? reason = null)
    {
        if (IsTerminated || Dialog is null)
        {
            IsTerminated = true;
            return;
        }
        IsTerminated = true;
        ByeSent = true;
        var bye = Dialog.CreateRequest(SipMethod.Bye);
        if (reason is not null)
        {
            bye.Headers.Add(HeaderName.Reason, reason);
        }
        _ = Stack.Send(bye, Dialog.Destination).FinalResponse;
    }

    public void MarkTerminated() => IsTerminated = true;

    /// <summary>True once we sent BYE on this leg's dialog.</summary>
    protected bool ByeSent { get; set; }
}
