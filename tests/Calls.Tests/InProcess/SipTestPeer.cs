using System.Globalization;
using System.Net;
using Telephony.Pbx.Sip.Dialogs;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>
/// A scripted SIP user agent on the <see cref="InMemorySipNetwork"/>: a phone (REGISTER with digest, calls, answers)
/// or a trunk. It keeps every message it receives; tests take them in order with the Expect methods. BYE, CANCEL,
/// NOTIFY and OPTIONS are answered 200 at once (CANCEL also ends the INVITE with 487), like a well-behaved phone.
/// </summary>
internal sealed class SipTestPeer : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private readonly InMemorySipNetwork _network;
    private readonly List<(SipMessage Message, SipEndPoint From)> _inbox = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Lock _gate = new();

    public SipTestPeer(InMemorySipNetwork network, IPEndPoint address, SipEndPoint server, string? user = null, string? password = null)
    {
        _network = network;
        Address = new SipEndPoint(SipProtocol.Udp, address);
        Server = server;
        User = user;
        Password = password;
        network.Attach(address, OnMessageAsync);
    }

    public SipEndPoint Address { get; }
    public SipEndPoint Server { get; }
    public string? User { get; }
    public string? Password { get; }

    /// <summary>Requests the peer answered on its own (BYE, CANCEL, NOTIFY, OPTIONS), in arrival order.</summary>
    public List<SipRequest> AutoAnswered { get; } = [];

    /// <summary>Host part for our URIs.</summary>
    public string Host => Address.EndPoint.Address.ToString();

    private string Contact => string.Create(CultureInfo.InvariantCulture, $"<sip:{User ?? "peer"}@{Host}:{Address.EndPoint.Port}>");

    // --- sending ---------------------------------------------------------------------------------------------------

    /// <summary>Sends <paramref name="message"/> to the server (a request gets our Via with a fresh branch when it has none).</summary>
    public void Send(SipMessage message, SipEndPoint? to = null)
    {
        if (message is SipRequest request && request.TopVia is null)
        {
            request.Headers.AddFirst(HeaderName.Via, string.Create(CultureInfo.InvariantCulture,
                $"SIP/2.0/UDP {Host}:{Address.EndPoint.Port};branch={SipIds.NewBranch()};rport"));
        }
        _network.Send(message, Address, (to ?? Server).EndPoint);
    }

    /// <summary>A new out-of-dialog request from us (From with a fresh tag, To without).</summary>
    public SipRequest NewRequest(string method, string toUser, uint cseq = 1, string? callId = null, string? fromTag = null,
        string? fromUser = null)
    {
        var serverHost = Server.EndPoint.Address.ToString();
        var request = new SipRequest(method, SipUri.Parse(string.Create(CultureInfo.InvariantCulture,
            $"sip:{toUser}@{serverHost}:{Server.EndPoint.Port}")));
        request.Headers.Add(HeaderName.MaxForwards, "70");
        request.Headers.Add(HeaderName.From, $"<sip:{fromUser ?? User ?? "peer"}@{Host}>;tag={fromTag ?? SipIds.NewTag()}");
        request.Headers.Add(HeaderName.To, $"<sip:{toUser}@{serverHost}>");
        request.Headers.Add(HeaderName.CallId, callId ?? SipIds.NewCallId());
        request.Headers.Add(HeaderName.CSeq, new CSeq(cseq, method).ToString());
        request.Headers.Add(HeaderName.Contact, Contact);
        return request;
    }

    /// <summary>REGISTER with digest (RFC 3261 §10, §22): 401 then credentials; returns the final response.</summary>
    public async Task<SipResponse> RegisterAsync(int expires = 600)
    {
        var callId = SipIds.NewCallId();
        var tag = SipIds.NewTag();
        var register = NewRequest(SipMethod.Register, User!, 1, callId, tag);
        register.Headers.Set(HeaderName.To, $"<sip:{User}@{Server.EndPoint.Address}>");
        register.Headers.Add(HeaderName.Expires, expires.ToString(CultureInfo.InvariantCulture));
        Send(register);
        var challenge = await ExpectResponseAsync(register, final: true);
        if (challenge.StatusCode != 401)
        {
            return challenge;
        }
        var retry = NewRequest(SipMethod.Register, User!, 2, callId, tag);
        retry.Headers.Set(HeaderName.To, $"<sip:{User}@{Server.EndPoint.Address}>");
        retry.Headers.Add(HeaderName.Expires, expires.ToString(CultureInfo.InvariantCulture));
        retry.Headers.Add(HeaderName.Authorization, Authorize(challenge, SipMethod.Register, retry.RequestUri.ToString()));
        Send(retry);
        return await ExpectResponseAsync(retry, final: true);
    }

    /// <summary>The credentials answering <paramref name="challenge"/>'s first digest challenge.</summary>
    public string Authorize(SipResponse challenge, string method, string uri)
    {
        var header = challenge.StatusCode == 407 ? HeaderName.ProxyAuthenticate : HeaderName.WwwAuthenticate;
        return challenge.Headers.GetAll(header)
            .Select(c => DigestClient.CreateAuthorization(c, method, uri, User!, Password!))
            .First(a => a is not null)!;
    }

    /// <summary>Places a call: INVITE with an SDP offer; answers a 407 with credentials when the peer has them.</summary>
    public async Task<UacCall> CallAsync(string number, byte[] sdp, IEnumerable<KeyValuePair<string, string>>? headers = null,
        string? fromUser = null)
    {
        var invite = NewRequest(SipMethod.Invite, number, fromUser: fromUser);
        foreach (var (name, value) in headers ?? [])
        {
            invite.Headers.Add(name, value);
        }
        invite.Headers.Add(HeaderName.ContentType, "application/sdp");
        invite.Body = sdp;
        Send(invite);
        if (Password is null)
        {
            return new UacCall(this, invite);
        }
        var challenge = await ExpectResponseAsync(invite, final: true);
        if (challenge.StatusCode != 407)
        {
            return new UacCall(this, invite, challenge);
        }
        Send(UacCall.AckFor(invite, challenge));
        var retry = NewRequest(SipMethod.Invite, number, 2, invite.CallId, invite.From!.Tag);
        foreach (var (name, value) in headers ?? [])
        {
            retry.Headers.Add(name, value);
        }
        retry.Headers.Add(HeaderName.ProxyAuthorization, Authorize(challenge, SipMethod.Invite, retry.RequestUri.ToString()));
        retry.Headers.Add(HeaderName.ContentType, "application/sdp");
        retry.Body = sdp;
        Send(retry);
        return new UacCall(this, retry);
    }

    /// <summary>Waits for an INVITE from the server (an incoming call) and returns it as a call to answer.</summary>
    public async Task<UasCall> ExpectCallAsync()
    {
        var (message, from) = await ExpectAsync(m => m is SipRequest { Method: SipMethod.Invite } r && r.To?.Tag is null,
            "an INVITE");
        return new UasCall(this, (SipRequest)message, from);
    }

    // --- receiving -------------------------------------------------------------------------------------------------

    /// <summary>The next message matching <paramref name="match"/> not taken before (waits up to 5 s of real time).</summary>
    public async Task<(SipMessage Message, SipEndPoint From)> ExpectAsync(Func<SipMessage, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            lock (_gate)
            {
                for (var i = 0; i < _inbox.Count; i++)
                {
                    if (match(_inbox[i].Message))
                    {
                        var found = _inbox[i];
                        _inbox.RemoveAt(i);
                        return found;
                    }
                }
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new TimeoutException($"{User ?? Host}: no {what} within {Bound.TotalSeconds} s; inbox: " + InboxText());
            }
        }
    }

    /// <summary>The next response to <paramref name="request"/> (same Call-ID and CSeq); only finals when asked.</summary>
    public async Task<SipResponse> ExpectResponseAsync(SipRequest request, bool final = false, int? status = null)
    {
        var (message, _) = await ExpectAsync(m => m is SipResponse r && r.CallId == request.CallId &&
            r.CSeq.Number == request.CSeq.Number && r.CSeq.Method == request.Method &&
            (!final || r.StatusCode >= 200) && (status is null || r.StatusCode == status),
            $"{(final ? "final " : "")}{status?.ToString(CultureInfo.InvariantCulture) ?? "response"} to {request.Method}");
        return (SipResponse)message;
    }

    /// <summary>The next request of <paramref name="method"/> (optionally in the dialog with Call-ID <paramref name="callId"/>).</summary>
    public async Task<SipRequest> ExpectRequestAsync(string method, string? callId = null)
    {
        var (message, _) = await ExpectAsync(m => m is SipRequest r && r.Method == method && (callId is null || r.CallId == callId),
            method);
        return (SipRequest)message;
    }

    /// <summary>True when a message matching <paramref name="match"/> is waiting (not taken).</summary>
    public bool Has(Func<SipMessage, bool> match)
    {
        lock (_gate)
        {
            return _inbox.Any(e => match(e.Message));
        }
    }

    private readonly HashSet<string> _seenInvites = [];

    private ValueTask OnMessageAsync(SipMessage message, SipEndPoint from)
    {
        if (message is SipRequest { Method: SipMethod.Invite } invite)
        {
            // A phone answers 100 Trying at once (the server stops retransmitting, RFC 3261 §17.1.1.2) and ignores
            // retransmissions of an INVITE it already has.
            var key = invite.CallId + "/" + invite.CSeq.Number + "/" + invite.TopVia?.Branch;
            lock (_gate)
            {
                if (!_seenInvites.Add(key))
                {
                    return ValueTask.CompletedTask;
                }
            }
            Send(SipResponse.CreateFor(invite, 100), from);
        }
        if (message is SipRequest request && request.Method is SipMethod.Bye or SipMethod.Cancel or SipMethod.Notify or SipMethod.Options)
        {
            AutoAnswered.Add(request);
            Send(SipResponse.CreateFor(request, 200), from);
            if (request.Method == SipMethod.Cancel)
            {
                UasCall.CancelPending(this, request, from);
            }
        }
        lock (_gate)
        {
            _inbox.Add((message, from));
        }
        _arrived.Release();
        return ValueTask.CompletedTask;
    }

    /// <summary>INVITEs received and not yet answered finally (for CANCEL → 487).</summary>
    internal List<SipRequest> PendingInvites { get; } = [];

    private string InboxText()
    {
        lock (_gate)
        {
            return string.Join(" | ", _inbox.Select(e => e.Message is SipResponse r
                ? $"{r.StatusCode} {r.CSeq.Method}"
                : ((SipRequest)e.Message).Method + " " + e.Message.CallId));
        }
    }

    public ValueTask DisposeAsync()
    {
        _network.Detach(Address.EndPoint);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A call the peer placed (UAC, RFC 3261 §13.2).</summary>
internal sealed class UacCall(SipTestPeer peer, SipRequest invite, SipResponse? earlyFinal = null)
{
    public SipRequest Invite { get; } = invite;
    public Dialog? Dialog { get; private set; }

    /// <summary>The final response (a 2xx is ACKed and opens the dialog; a failure is ACKed by the same transaction).</summary>
    public async Task<SipResponse> FinalAsync()
    {
        var final = earlyFinal ?? await peer.ExpectResponseAsync(Invite, final: true);
        earlyFinal = null;
        if (final.StatusCode < 300)
        {
            Dialog = Dialog.ForOutgoing(Invite, final, peer.Server);
            Dialog.RefreshTarget(final);
            peer.Send(Dialog.CreateAck(Invite.CSeq.Number));
        }
        else
        {
            peer.Send(AckFor(Invite, final));
        }
        return final;
    }

    /// <summary>The next provisional response (180, 183).</summary>
    public Task<SipResponse> ProvisionalAsync(int status) => peer.ExpectResponseAsync(Invite, status: status);

    /// <summary>Hangs up: BYE in the dialog; returns its response.</summary>
    public async Task<SipResponse> ByeAsync()
    {
        var bye = Dialog!.CreateRequest(SipMethod.Bye);
        peer.Send(bye);
        return await peer.ExpectResponseAsync(bye, final: true);
    }

    /// <summary>CANCEL of the INVITE (same Via branch, RFC 3261 §9.1).</summary>
    public void Cancel()
    {
        var cancel = new SipRequest(SipMethod.Cancel, Invite.RequestUri);
        cancel.Headers.Add(HeaderName.Via, Invite.Headers.Get(HeaderName.Via)!);
        cancel.Headers.Add(HeaderName.MaxForwards, "70");
        cancel.Headers.Add(HeaderName.From, Invite.Headers.Get(HeaderName.From)!);
        cancel.Headers.Add(HeaderName.To, Invite.Headers.Get(HeaderName.To)!);
        cancel.Headers.Add(HeaderName.CallId, Invite.CallId!);
        cancel.Headers.Add(HeaderName.CSeq, new CSeq(Invite.CSeq.Number, SipMethod.Cancel).ToString());
        peer.Send(cancel);
    }

    /// <summary>Sends an in-dialog request built by <paramref name="build"/> (re-INVITE, REFER, INFO...) and returns it.</summary>
    public SipRequest SendInDialog(string method, Action<SipRequest>? build = null)
    {
        var request = Dialog!.CreateRequest(method);
        build?.Invoke(request);
        peer.Send(request);
        return request;
    }

    /// <summary>
    /// re-INVITE in the dialog with <paramref name="sdp"/> (none: an offer-less re-INVITE, RFC 3261 §14.2); returns the
    /// final response; a 2xx is ACKed with <paramref name="ackSdp"/> (the answer to an offer in the 2xx).
    /// </summary>
    public async Task<SipResponse> ReinviteAsync(byte[]? sdp, byte[]? ackSdp = null, string method = SipMethod.Invite)
    {
        var reinvite = SendInDialog(method, r =>
        {
            r.Headers.Add(HeaderName.Contact, $"<sip:{peer.User ?? "peer"}@{peer.Host}:{peer.Address.EndPoint.Port}>");
            if (sdp is not null)
            {
                r.Headers.Add(HeaderName.ContentType, "application/sdp");
                r.Body = sdp;
            }
        });
        var final = await peer.ExpectResponseAsync(reinvite, final: true);
        if (method == SipMethod.Invite && final.StatusCode < 300)
        {
            var ack = Dialog!.CreateAck(reinvite.CSeq.Number);
            if (ackSdp is not null)
            {
                ack.Headers.Add(HeaderName.ContentType, "application/sdp");
                ack.Body = ackSdp;
            }
            peer.Send(ack);
        }
        return final;
    }

    /// <summary>ACK for a non-2xx final (RFC 3261 §17.1.1.3: same branch, To with the response's tag).</summary>
    public static SipRequest AckFor(SipRequest invite, SipResponse final)
    {
        var ack = new SipRequest(SipMethod.Ack, invite.RequestUri);
        ack.Headers.Add(HeaderName.Via, invite.Headers.Get(HeaderName.Via)!);
        ack.Headers.Add(HeaderName.MaxForwards, "70");
        ack.Headers.Add(HeaderName.From, invite.Headers.Get(HeaderName.From)!);
        ack.Headers.Add(HeaderName.To, final.Headers.Get(HeaderName.To)!);
        ack.Headers.Add(HeaderName.CallId, invite.CallId!);
        ack.Headers.Add(HeaderName.CSeq, new CSeq(invite.CSeq.Number, SipMethod.Ack).ToString());
        return ack;
    }
}

/// <summary>A call the server placed to the peer (UAS, RFC 3261 §13.3).</summary>
internal sealed class UasCall
{
    private readonly SipTestPeer _peer;
    private readonly SipEndPoint _from;
    private readonly string _tag = SipIds.NewTag();

    public UasCall(SipTestPeer peer, SipRequest invite, SipEndPoint from)
    {
        _peer = peer;
        Invite = invite;
        _from = from;
        lock (peer.PendingInvites)
        {
            peer.PendingInvites.Add(invite);
        }
    }

    public SipRequest Invite { get; }
    public Dialog? Dialog { get; private set; }

    /// <summary>Sends a provisional response (180 Ringing, 183 with SDP for early media).</summary>
    public void Ring(int status = 180, byte[]? sdp = null) => _peer.Send(Response(status, sdp), _from);

    /// <summary>Answers 200 with <paramref name="sdp"/> (none: the answer went in a 183) and opens the dialog.</summary>
    public void Answer(byte[]? sdp)
    {
        Finished();
        var ok = Response(200, sdp);
        Dialog = Dialog.ForIncoming(Invite, _tag, _from);
        _peer.Send(ok, _from);
    }

    /// <summary>
    /// From now on a CANCEL for this INVITE gets only its 200 (no 487): the phone's 200 is already on its way, and
    /// <see cref="Answer"/> sends it after the CANCEL (RFC 3261 §9.2: CANCEL crossing the final response).
    /// </summary>
    public void AnswerWinsOverCancel() => Finished();

    /// <summary>Refuses with <paramref name="status"/> (486 busy, 603 decline, 480...).</summary>
    public void Reject(int status, Action<SipResponse>? decorate = null)
    {
        Finished();
        var response = Response(status, null);
        decorate?.Invoke(response);
        _peer.Send(response, _from);
    }

    /// <summary>Hangs up from the callee's side: BYE in the dialog; returns its response.</summary>
    public async Task<SipResponse> ByeAsync()
    {
        var bye = Dialog!.CreateRequest(SipMethod.Bye);
        _peer.Send(bye, _from);
        return await _peer.ExpectResponseAsync(bye, final: true);
    }

    /// <summary>Sends an in-dialog request built by <paramref name="build"/> (REFER, re-INVITE...) and returns it.</summary>
    public SipRequest SendInDialog(string method, Action<SipRequest>? build = null)
    {
        var request = Dialog!.CreateRequest(method);
        build?.Invoke(request);
        _peer.Send(request, _from);
        return request;
    }

    private SipResponse Response(int status, byte[]? sdp)
    {
        var response = SipResponse.CreateFor(Invite, status, null, status == 100 ? null : _tag);
        if (status is > 100 and < 300)
        {
            response.Headers.Add(HeaderName.Contact, string.Create(CultureInfo.InvariantCulture,
                $"<sip:{_peer.User ?? "peer"}@{_peer.Host}:{_peer.Address.EndPoint.Port}>"));
        }
        if (sdp is not null)
        {
            response.Headers.Add(HeaderName.ContentType, "application/sdp");
            response.Body = sdp;
        }
        return response;
    }

    private void Finished()
    {
        lock (_peer.PendingInvites)
        {
            _peer.PendingInvites.Remove(Invite);
        }
    }

    /// <summary>A CANCEL arrived: the matching pending INVITE ends with 487 (RFC 3261 §9.2).</summary>
    internal static void CancelPending(SipTestPeer peer, SipRequest cancel, SipEndPoint from)
    {
        SipRequest? invite;
        lock (peer.PendingInvites)
        {
            invite = peer.PendingInvites.FirstOrDefault(i => i.CallId == cancel.CallId && i.CSeq.Number == cancel.CSeq.Number);
            if (invite is not null)
            {
                peer.PendingInvites.Remove(invite);
            }
        }
        if (invite is not null)
        {
            peer.Send(SipResponse.CreateFor(invite, 487, null, SipIds.NewTag()), from);
        }
    }
}
