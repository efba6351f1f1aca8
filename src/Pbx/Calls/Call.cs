using Microsoft.Extensions.Logging;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Media;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transactions;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

/// <summary>
/// A call on the server: one or more legs whose signalling is serialized on the call's <see cref="CallExecutor"/>.
/// The base class answers the in-dialog requests every call type treats alike (BYE, re-INVITE for hold/unhold,
/// INFO, OPTIONS, UPDATE) and owns the teardown, so no call can end without releasing its media and registry entries.
/// </summary>
public abstract partial class Call
{
    private int _ended;

    protected Call(CallContext context, string id, string kind)
    {
        Context = context;
        Id = id;
        Kind = kind;
        Logger = context.CallLogger;
        Executor = new CallExecutor(id, Logger);
        StartedAt = context.Time.GetUtcNow();
    }

    public string Id { get; }
    public string Kind { get; }
    public CallContext Context { get; }
    public CallExecutor Executor { get; }
    protected ILogger Logger { get; }
    public DateTimeOffset StartedAt { get; }
    public bool IsEnded => Volatile.Read(ref _ended) != 0;
    public abstract IEnumerable<CallLeg> Legs { get; }

    /// <summary>Caller's number (user part of From), set when the call is registered.</summary>
    public string? CallerNumber { get; internal set; }

    /// <summary>Dialed number (user part of the Request-URI), set when the call is registered.</summary>
    public string? DialedNumber { get; internal set; }

    /// <summary>When the caller's INVITE was answered with 2xx, or null.</summary>
    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>
    /// Outcome for the call record, set by call types that know better than the SIP signalling (an IVR or queue call is
    /// answered by the server, yet may end "AbandonedInQueue"); passed on in <see cref="CallEndInfo.Outcome"/>.
    /// </summary>
    public CallOutcome? Outcome { get; set; }

    private HangupSide? _hangupSide;

    public abstract ValueTask StartAsync();

    /// <summary>The other party left (BYE received on <paramref name="from"/>): end the rest of the call.</summary>
    protected abstract ValueTask OnLegHungUpAsync(CallLeg from);

    /// <summary>The SIP transport to <paramref name="peer"/> closed (a browser's WebSocket, RFC 7118): a call whose leg
    /// went over it may keep its other party (<see cref="ApplicationCall"/> parks the customer). Runs on the executor.</summary>
    protected internal virtual ValueTask OnTransportLostAsync(SipEndPoint peer) => ValueTask.CompletedTask;

    /// <summary>A contact was registered (<paramref name="binding"/>): a call waiting for that person may ring it. Runs on
    /// the executor.</summary>
    protected internal virtual ValueTask OnContactRegisteredAsync(Binding binding) => ValueTask.CompletedTask;

    /// <summary>INVITE client/server transaction CANCELled by the caller before answer.</summary>
    public virtual ValueTask OnCancelAsync(InboundLeg leg) => HangupAsync("caller cancelled", 487);

    public virtual ValueTask OnResponseAsync(OutboundLeg leg, SipResponse response) => ValueTask.CompletedTask;

    public virtual void OnDigit(CallLeg leg, char digit) =>
        Logger.LogInformation("Call {CallId}: DTMF '{Digit}' received on {Leg}", Id, digit, leg.CallId);

    public ValueTask OnAckAsync(CallLeg leg, SipRequest ack)
    {
        if (leg is InboundLeg inbound)
        {
            inbound.OnAck();
        }
        if (leg.PendingOffer is { } offer && ack.CSeq.Number == leg.PendingOfferCSeq)
        {
            leg.PendingOffer = null;
            ApplyAckAnswer(leg, offer, ack);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The answer to the offer we put in a 2xx comes in the ACK (RFC 3264 §4, RFC 3261 §13.2.1).</summary>
    private void ApplyAckAnswer(CallLeg leg, byte[] offer, SipRequest ack)
    {
        if (leg.Media is null || leg.Dialog is null)
        {
            return;
        }
        if (ack.Body.Length == 0)
        {
            Logger.LogWarning("Call {CallId}: ACK on {Leg} carries no answer to our re-offer; media unchanged", Id, leg.CallId);
            return;
        }
        var result = Context.Negotiator.ProcessAnswer(leg.Sdp, ack.Body, leg.Dialog.Destination);
        if (!result.Success)
        {
            Logger.LogWarning("Call {CallId}: answer in ACK on {Leg} unusable: {Reason}; media unchanged", Id, leg.CallId, result.Failure);
            return;
        }
        result.ApplyTo(leg.Media);
        Logger.LogInformation("Call {CallId}: answer in ACK on {Leg}: media now {Direction} to {Remote}",
            Id, leg.CallId, result.Parameters!.Direction, result.Parameters.Remote);
    }

    /// <summary>An in-dialog request for one of our legs.</summary>
    public async ValueTask OnRequestAsync(CallLeg leg, ServerTransaction tx)
    {
        var request = tx.Request;
        if (leg.Dialog is not null && !leg.Dialog.AcceptRemoteCSeq(request))
        {
            await tx.SendResponseAsync(Context.Stack.CreateResponse(request, 500, "CSeq out of order"));
            return;
        }
        switch (request.Method)
        {
            case SipMethod.Bye:
                await tx.SendResponseAsync(Context.Stack.CreateResponse(request, 200));
                leg.MarkTerminated();
                _hangupSide ??= leg is InboundLeg ? HangupSide.Caller : HangupSide.Callee;
                Logger.LogInformation("Call {CallId}: BYE from {Leg}", Id, leg.CallId);
                await OnLegHungUpAsync(leg);
                break;
            case SipMethod.Invite:
            case SipMethod.Update:
                await OnReofferAsync(leg, tx);
                break;
            case SipMethod.Refer:
                await OnReferAsync(leg, tx);
                break;
            case SipMethod.Info:
            case SipMethod.Options:
                var ok = Context.Stack.CreateResponse(request, 200);
                if (request.Method == SipMethod.Options)
                {
                    ok.Headers.Add(HeaderName.Allow, SipStack.AllowedMethods);
                }
                await tx.SendResponseAsync(ok);
                break;
            default:
                var notAllowed = Context.Stack.CreateResponse(request, 405);
                notAllowed.Headers.Add(HeaderName.Allow, SipStack.AllowedMethods);
                await tx.SendResponseAsync(notAllowed);
                break;
        }
    }

    /// <summary>In-dialog REFER (RFC 3515): not supported unless a call type overrides it (405 with Allow).</summary>
    protected virtual async ValueTask OnReferAsync(CallLeg leg, ServerTransaction tx)
    {
        var notAllowed = Context.Stack.CreateResponse(tx.Request, 405);
        notAllowed.Headers.Add(HeaderName.Allow, SipStack.AllowedMethods);
        await tx.SendResponseAsync(notAllowed);
    }

    /// <summary>re-INVITE/UPDATE (RFC 3264 §8): hold, unhold, address change. Answered locally for this leg only.</summary>
    private async ValueTask OnReofferAsync(CallLeg leg, ServerTransaction tx)
    {
        var request = tx.Request;
        leg.Dialog?.RefreshTarget(request);
        leg.PendingOffer = null;
        if (leg.Media is null)
        {
            await tx.SendResponseAsync(Context.Stack.CreateResponse(request, 488));
            return;
        }
        byte[]? body;
        if (request.Body.Length == 0)
        {
            // Offer-less re-INVITE (RFC 3261 §14.2): we make a fresh offer of what we want (sendrecv, all our codecs),
            // not our last answer, which may say recvonly/inactive after a hold and would keep the call held.
            // The answer comes in the ACK.
            body = Context.Negotiator.CreateOffer(leg.Media, leg.Sdp, tx.Remote);
            leg.PendingOffer = body;
            leg.PendingOfferCSeq = request.CSeq.Number;
        }
        else
        {
            var result = Context.Negotiator.Answer(request.Body, leg.Media, leg.Sdp, tx.Remote);
            if (!result.Success)
            {
                Logger.LogWarning("Call {CallId}: re-offer refused: {Reason}", Id, result.Failure);
                await tx.SendResponseAsync(Context.Stack.CreateResponse(request, 488, result.Failure));
                return;
            }
            result.ApplyTo(leg.Media);
            body = result.Sdp;
            Logger.LogInformation("Call {CallId}: re-offer on {Leg}: media now {Direction} to {Remote}",
                Id, leg.CallId, result.Parameters!.Direction, result.Parameters.Remote);
        }
        var ok = Context.Stack.CreateResponse(request, 200, null, null);
        ok.Headers.Add(HeaderName.Contact, Context.Stack.ContactFor(tx.Remote));
        if (body is not null)
        {
            ok.Headers.Add(HeaderName.ContentType, "application/sdp");
            ok.Body = body;
        }
        await tx.SendResponseAsync(ok);
    }

    /// <summary>Ends the call from our side: rejects unanswered inbound legs, cancels ringing forks, BYEs the rest.</summary>
    public async ValueTask HangupAsync(string reason, int rejectStatus = 480)
    {
        foreach (var leg in Legs.ToList())
        {
            switch (leg)
            {
                case InboundLeg { FinalSent: false } inbound:
                    await inbound.RejectAsync(rejectStatus);
                    break;
                case OutboundLeg { Answered: false } outbound:
                    outbound.Cancel();
                    outbound.MarkTerminated();
                    break;
                default:
                    leg.SendBye();
                    break;
            }
        }
        End(reason);
    }

    /// <summary>Releases everything the call holds. Idempotent.</summary>
    protected void End(string reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }
        var seconds = (Context.Time.GetUtcNow() - StartedAt).TotalSeconds;
        foreach (var leg in Legs)
        {
            if (leg.Media is { } media)
            {
                var stats = media.GetStats();
                Logger.LogInformation(
                    "Call {CallId}: leg {Leg} media: sent {Sent} received {Received} lost {Lost} jitter {JitterMs:F1} ms",
                    Id, leg.CallId, stats.PacketsSent, stats.PacketsReceived, stats.PacketsLost, stats.JitterMs);
                media.Dispose();
            }
        }
        Context.Registry.Unregister(this);
        Logger.LogInformation("Call {CallId} ({Kind}) ended after {Seconds:F1} s: {Reason}", Id, Kind, seconds, reason);
        NotifyEnded(reason);
        Executor.Complete();
    }

    /// <summary>
    /// Creates the caller's RTP session and answers the caller's SDP offer (RFC 3264). When no port is free (503) or
    /// no codec is common (488) it rejects the caller, ends the call through <paramref name="end"/> and returns null;
    /// otherwise the session is configured and the negotiation (with the SDP answer to send) is returned.
    /// </summary>
    protected async ValueTask<NegotiationResult?> AnswerCallerMediaAsync(InboundLeg caller, Action<string> end)
    {
        RtpSession session;
        try
        {
            session = Context.Media.CreateSession(Id);
        }
        catch (MediaPortsExhaustedException)
        {
            Logger.LogError("Call {CallId}: no free RTP port", Id);
            await caller.RejectAsync(503, "No media ports available");
            end("no media ports");
            return null;
        }
        WireMedia(caller, session);

        var negotiation = Context.Negotiator.Answer(caller.Invite.Body, session, caller.Sdp, caller.InviteTransaction.Remote);
        if (!negotiation.Success)
        {
            Logger.LogWarning("Call {CallId}: offer refused: {Reason}", Id, negotiation.Failure);
            await caller.RejectAsync(488, negotiation.Failure);
            end("no common codec");
            return null;
        }
        negotiation.ApplyTo(session);
        return negotiation;
    }

    /// <summary>
    /// Attaches <paramref name="session"/> to <paramref name="leg"/> and routes its events (digits, RTP timeout, transport
    /// failure) to this call's executor. The subscriptions stay for the session's life, so an event of a session no
    /// longer attached to its leg (<c>leg.Media != session</c>: a released agent leg, a fork whose shared session moved
    /// to the fork that answered) is dropped here, for every call kind.
    /// </summary>
    protected internal void WireMedia(CallLeg leg, RtpSession session)
    {
        leg.Media = session;
        session.DigitReceived += (_, digit) => Executor.Post(() =>
        {
            if (!IsAttached(leg, session, "DTMF"))
            {
                return;
            }
            Notify(o => o.OnDigit(this, leg, digit));
            OnDigit(leg, digit);
        });
        session.RtpTimedOut += _ => Executor.Post(() =>
            IsAttached(leg, session, "RTP timeout") ? OnRtpTimedOutAsync(leg, session) : ValueTask.CompletedTask);
        session.TransportFailed += (_, reason) => Executor.Post(() => OnSessionTransportFailedAsync(leg, session, reason));
    }

    /// <summary>The transport of <paramref name="session"/> (wired to <paramref name="leg"/>) failed: handled by
    /// <see cref="OnMediaTransportFailedAsync"/> while the session is still the leg's, dropped otherwise. Executor.</summary>
    internal ValueTask OnSessionTransportFailedAsync(CallLeg leg, RtpSession session, string reason) =>
        IsAttached(leg, session, "transport failure", reason)
            ? OnMediaTransportFailedAsync(leg, reason)
            : ValueTask.CompletedTask;

    // The label is built only when the event is dropped (and logged): the check itself allocates nothing.
    private bool IsAttached(CallLeg leg, RtpSession session, string what, string? detail = null)
    {
        if (leg.Media == session)
        {
            return true;
        }
        Logger.LogDebug("Call {CallId}: {What} of a media session no longer attached to {Leg} ignored", Id,
            detail is null ? what : $"{what} ({detail})", leg.CallId);
        return false;
    }

    /// <summary>No RTP from <paramref name="leg"/> for <c>rtp.timeoutSeconds</c>: the call ends, unless the leg is a caller
    /// still hearing ringing (not answered yet: it sends RTP from our 200 on), whose count starts again.</summary>
    private ValueTask OnRtpTimedOutAsync(CallLeg leg, RtpSession session)
    {
        if (leg is InboundLeg { Answered: false } && !IsEnded)
        {
            session.RestartRtpTimeout();
            return ValueTask.CompletedTask;
        }
        return HangupAsync("no RTP received (media timeout)");
    }

    /// <summary>The media transport of <paramref name="leg"/> failed (DTLS closed or failed, ICE consent lost): the call
    /// ends unless the call kind keeps the other party (a browser agent's page reloading: <see cref="ApplicationCall"/>).</summary>
    protected internal virtual ValueTask OnMediaTransportFailedAsync(CallLeg leg, string reason) =>
        HangupAsync("media transport failed: " + reason);

    /// <summary>
    /// Runs <paramref name="elapsed"/> on this call's executor after <paramref name="delay"/> unless the returned source
    /// is cancelled first (ring timeouts).
    /// </summary>
    protected internal CancellationTokenSource StartTimer(TimeSpan delay, Func<ValueTask> elapsed)
    {
        var timer = new CancellationTokenSource();
        _ = Task.Delay(delay, Context.Time, timer.Token).ContinueWith(t =>
        {
            if (!t.IsCanceled)
            {
                Executor.Post(elapsed);
            }
        }, TaskScheduler.Default);
        return timer;
    }

    /// <summary>
    /// The first fork to answer (RFC 3261 §13.2.2.4; forking as in §16.7 step 10): ACKs its 2xx, moves the media
    /// session the forks shared onto it when it is still on another fork (<paramref name="sharedMedia"/>; null when each
    /// fork's media is wired elsewhere) and CANCELs every other fork.
    /// </summary>
    protected internal async ValueTask AcceptWinningForkAsync(OutboundLeg winner, SipResponse response, IReadOnlyList<OutboundLeg> forks,
        RtpSession? sharedMedia)
    {
        await winner.AcceptAsync(response);
        if (sharedMedia is not null && winner.Media is null)
        {
            foreach (var other in forks.Where(f => f.Media == sharedMedia))
            {
                other.Media = null;
            }
            WireMedia(winner, sharedMedia);
        }
        foreach (var other in forks.Where(f => f != winner))
        {
            other.Cancel();
            other.MarkTerminated();
        }
    }

    /// <summary>The caller's leg sent 2xx (or an originated call's customer answered): stamps <see cref="AnsweredAt"/> and
    /// tells the observer (once).</summary>
    internal void NotifyAnswered(CallLeg leg)
    {
        if (AnsweredAt is not null)
        {
            return;
        }
        AnsweredAt = Context.Time.GetUtcNow();
        Notify(o => o.OnCallAnswered(this, leg));
    }

    private void NotifyEnded(string reason)
    {
        var inbound = Legs.OfType<InboundLeg>().FirstOrDefault();
        var rejectStatus = inbound?.RejectStatus;
        var side = _hangupSide ?? (AnsweredAt is null
            ? rejectStatus switch
            {
                487 => HangupSide.Caller,
                486 or 600 or 603 => HangupSide.Callee,
                _ => HangupSide.System,
            }
            : HangupSide.System);
        var info = new CallEndInfo(AnsweredAt is not null, AnsweredAt, Context.Time.GetUtcNow(), side, reason, rejectStatus,
            Outcome ?? OutcomeOfSignalling(AnsweredAt is not null, rejectStatus));
        Notify(o => o.OnCallEnded(this, info));
    }

    /// <summary>The outcome of a call whose kind did not name one, from its signalling: answered, or the final status the
    /// caller got (487 after a CANCEL: abandoned; busy, unavailable, declined: nobody could take it).</summary>
    public static CallOutcome OutcomeOfSignalling(bool answered, int? rejectStatus) => answered
        ? CallOutcome.Answered
        : rejectStatus switch
        {
            487 => CallOutcome.Abandoned,
            404 or 408 or 480 or 486 or 600 or 603 => CallOutcome.NoAgent,
            _ => CallOutcome.Failed,
        };

    private void Notify(Action<ICallObserver> action)
    {
        try
        {
            action(Context.Observer);
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Call {CallId}: call observer failed", Id);
        }
    }
}
