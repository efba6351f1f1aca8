using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Sip.Dialogs;

/// <summary>
/// A SIP dialog seen from our side (RFC 3261 §12): Call-ID, local and remote tags, route set, remote target and
/// CSeq spaces. In-dialog requests are sent to <see cref="Destination"/>, the transport address the peer used,
/// so phones behind NAT are reached on the pinhole they opened (RFC 3581 spirit).
/// </summary>
public sealed class Dialog
{
    private Dialog(string callId, NameAddress local, NameAddress remote, SipUri remoteTarget,
        IReadOnlyList<string> routeSet, uint localCSeq, SipEndPoint destination)
    {
        CallId = callId;
        LocalParty = local;
        RemoteParty = remote;
        RemoteTarget = remoteTarget;
        RouteSet = routeSet;
        LocalCSeq = localCSeq;
        Destination = destination;
    }

    public string CallId { get; }
    public NameAddress LocalParty { get; }
    public NameAddress RemoteParty { get; }
    public string LocalTag => LocalParty.Tag!;
    public string? RemoteTag => RemoteParty.Tag;
    public SipUri RemoteTarget { get; private set; }
    public IReadOnlyList<string> RouteSet { get; }
    public uint LocalCSeq { get; private set; }
    public uint RemoteCSeq { get; private set; }
    public SipEndPoint Destination { get; set; }

    /// <summary>RFC 3261 §12.1.1: the UAS side of a dialog created by an incoming INVITE.</summary>
    public static Dialog ForIncoming(SipRequest invite, string localTag, SipEndPoint source)
    {
        // Copies of the message's read-only views: the dialog owns (and tags) its parties.
        var to = invite.To!.Clone();
        to.Tag = localTag;
        var from = invite.From!.Clone();
        var target = ContactUri(invite) ?? from.Uri;
        var routes = invite.Headers.GetAll(HeaderName.RecordRoute).ToList();
        var d = new Dialog(invite.CallId!, to, from, target, routes, 0, source)
        {
            RemoteCSeq = invite.CSeq.Number,
        };
        return d;
    }

    /// <summary>RFC 3261 §12.1.2: the UAC side, from our INVITE and the response that carries the remote tag.</summary>
    public static Dialog ForOutgoing(SipRequest invite, SipResponse response, SipEndPoint destination)
    {
        var from = invite.From!.Clone();
        var to = response.To!.Clone();
        var target = ContactUri(response) ?? invite.RequestUri;
        var routes = response.Headers.GetAll(HeaderName.RecordRoute).Reverse().ToList();
        return new Dialog(invite.CallId!, from, to, target, routes, invite.CSeq.Number, destination);
    }

    /// <summary>Checks and records the CSeq of an in-dialog request (§12.2.2); false = out of order (answer 500).</summary>
    public bool AcceptRemoteCSeq(SipRequest request)
    {
        var n = request.CSeq.Number;
        if (request.Method == SipMethod.Ack || request.Method == SipMethod.Cancel)
        {
            return true;
        }
        if (RemoteCSeq != 0 && n <= RemoteCSeq)
        {
            return false;
        }
        RemoteCSeq = n;
        return true;
    }

    /// <summary>A target refresh (re-INVITE, UPDATE) may change the remote target.</summary>
    public void RefreshTarget(SipMessage message)
    {
        var target = ContactUri(message);
        if (target is not null)
        {
            RemoteTarget = target;
        }
    }

    /// <summary>Builds an in-dialog request (§12.2.1.1) with the next local CSeq.</summary>
    public SipRequest CreateRequest(string method)
    {
        LocalCSeq++;
        return Build(method, LocalCSeq);
    }

    /// <summary>ACK for a 2xx: same CSeq number as the INVITE it acknowledges (§13.2.2.4).</summary>
    public SipRequest CreateAck(uint inviteCSeq) => Build(SipMethod.Ack, inviteCSeq, SipMethod.Ack);

    private SipRequest Build(string method, uint cseq, string? cseqMethod = null)
    {
        var request = new SipRequest(method, RemoteTarget.Clone());
        foreach (var route in RouteSet)
        {
            request.Headers.Add(HeaderName.Route, route);
        }
        request.Headers.Add(HeaderName.MaxForwards, "70");
        request.Headers.Add(HeaderName.From, LocalParty.ToString());
        request.Headers.Add(HeaderName.To, RemoteParty.ToString());
        request.Headers.Add(HeaderName.CallId, CallId);
        request.Headers.Add(HeaderName.CSeq, new CSeq(cseq, cseqMethod ?? method).ToString());
        return request;
    }

    private static SipUri? ContactUri(SipMessage message)
    {
        var contact = message.Headers.GetAll(HeaderName.Contact).FirstOrDefault();
        return contact is not null && NameAddress.TryParse(contact, out var na) && !na.IsWildcard ? na.Uri : null;
    }
}
