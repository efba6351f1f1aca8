using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transactions;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Back-to-back user agent call (extension to extension, or trunk DID to extension): the caller's leg is
/// answered by us, a new leg is forked to every registered contact of the target, the first 2xx wins, the other
/// forks are cancelled, and media is anchored on the server (each leg has its own RTP session, bridged on the
/// same media loop).
/// </summary>
public sealed class BridgedCall : Call
{
    private readonly InboundLeg _caller;
    private readonly List<OutboundLeg> _forks = [];
    private readonly string _target;
    private readonly NameAddress _callerIdentity;
    private OutboundLeg? _winner;
    private NegotiationResult? _callerAnswer;
    private CancellationTokenSource? _ringTimer;
    private bool _ringingRelayed;

    public BridgedCall(CallContext context, ServerTransaction invite, string target, NameAddress callerIdentity)
        : base(context, invite.Request.CallId!, "b2bua")
    {
        _caller = new InboundLeg(this, context.Stack, invite);
        _target = target;
        _callerIdentity = callerIdentity;
    }

    public override IEnumerable<CallLeg> Legs => [_caller, .. _forks];

    public override async ValueTask StartAsync()
    {
        var bindings = Context.Contacts.Resolve(_target);
        if (bindings.Count == 0)
        {
            Logger.LogInformation("Call {CallId}: {Target} is not registered", Id, _target);
            await _caller.RejectAsync(480, "Not registered");
            End("callee not registered");
            return;
        }

        _callerAnswer = await AnswerCallerMediaAsync(_caller, End);
        if (_callerAnswer is null)
        {
            return;
        }
        var callerMedia = _caller.Media!;
        callerMedia.SetSource(SilenceSource.Instance);

        var maxForwards = Math.Min((_caller.Invite.MaxForwards ?? 70) - 1, 70);
        if (maxForwards <= 0)
        {
            await _caller.RejectAsync(483);
            End("too many hops");
            return;
        }

        // One RTP session serves whichever fork answers; forks are offered the same SDP.
        RtpSession calleeMedia;
        try
        {
            calleeMedia = Context.Media.CreateSession(Id + "/b", sameLoopAs: callerMedia);
        }
        catch (MediaPortsExhaustedException)
        {
            await _caller.RejectAsync(503, "No media ports available");
            End("no media ports");
            return;
        }

        ContactForker.Fork(this, bindings, _target, _callerIdentity, calleeMedia, maxForwards,
            (fork, index) =>
            {
                _forks.Add(fork);
                if (index == 0)
                {
                    WireMedia(fork, calleeMedia);
                }
                else
                {
                    fork.Media = null; // shares the first fork's session; attached on answer
                }
            },
            (leg, response) => Executor.Post(() => OnResponseAsync(leg, response)));
        if (_forks.Count == 0)
        {
            calleeMedia.Dispose();
            await _caller.RejectAsync(480, "No usable contact");
            End("no usable contact");
            return;
        }
        _calleeMedia = calleeMedia;
        _caller.InviteTransaction.Cancelled += _ => Executor.Post(() => OnCancelAsync(_caller));
        _caller.InviteTransaction.AckTimedOut += _ => Executor.Post(() => HangupAsync("no ACK from caller"));
        StartRingTimer();
        if (_caller.InviteTransaction.IsCancelled)
        {
            // The CANCEL arrived before we subscribed.
            await OnCancelAsync(_caller);
            return;
        }
        Logger.LogInformation("Call {CallId}: {Caller} -> {Target}, ringing {Forks} contact(s)",
            Id, _callerIdentity.Uri.User, _target, _forks.Count);
    }

    private RtpSession? _calleeMedia;

    /// <summary>
    /// Where to send the INVITE for a binding: over UDP, the Contact address when it is the address the REGISTER
    /// came from (the phone is not behind NAT, and may register from another port than it listens on), else the
    /// REGISTER's source (NAT pinhole, RFC 3581 style); over TCP and TLS, always the registering connection (RFC 5923
    /// style reuse: a phone behind NAT cannot be connected to, and we open no TLS connections ourselves).
    /// </summary>
    internal static SipEndPoint ContactDestination(SipEndPoint source, SipUri contact)
    {
        if (source.IsReliable)
        {
            return source;
        }
        var transport = contact.Parameters.TryGetValue("transport", out var t) ? t : null;
        if (transport is not null && !transport.Equals("udp", StringComparison.OrdinalIgnoreCase))
        {
            return source;
        }
        if (System.Net.IPAddress.TryParse(contact.Host.Trim('[', ']'), out var ip) && ip.Equals(source.EndPoint.Address))
        {
            return new SipEndPoint(SipProtocol.Udp, new System.Net.IPEndPoint(ip, contact.Port ?? 5060));
        }
        return source;
    }

    // The timer's work is posted when it falls due; a 200 handled before that work runs has already won (cancelling the
    // timer is then too late), so an answered call is not hung up as unanswered.
    private void StartRingTimer() =>
        _ringTimer = StartTimer(TimeSpan.FromSeconds(Context.Options.Sip.RingTimeoutSeconds),
            () => _winner is null ? HangupAsync("no answer (ring timeout)", 480) : ValueTask.CompletedTask);

    public override async ValueTask OnResponseAsync(OutboundLeg fork, SipResponse response)
    {
        // An ended call, or a fork that already failed (a 2xx after its own 487 or 486, RFC 3261 §15): ACK and BYE.
        if (IsEnded || fork.Failed)
        {
            if (response.StatusCode is >= 200 and < 300)
            {
                await fork.AcceptAndHangUpAsync(response);
            }
            return;
        }
        var status = response.StatusCode;
        if (status < 200)
        {
            if (status == 100 || _caller.FinalSent)
            {
                return;
            }
            if (status == 183 && response.Body.Length > 0 && _winner is null && fork.Media is not null)
            {
                var early = Context.Negotiator.ProcessAnswer(fork.Sdp, response.Body, fork.Destination);
                if (early.Success)
                {
                    early.ApplyTo(fork.Media);
                    Bridge(fork.Media);
                    await _caller.SendProvisionalAsync(183, _callerAnswer!.Sdp);
                    _ringingRelayed = true;
                    return;
                }
            }
            if (!_ringingRelayed)
            {
                _ringingRelayed = true;
                await _caller.SendProvisionalAsync(180);
            }
            return;
        }

        if (status < 300)
        {
            if (_winner is not null)
            {
                if (fork == _winner)
                {
                    await fork.SendAckAsync(response); // 2xx retransmission: ACK again
                }
                else
                {
                    await fork.AcceptAndHangUpAsync(response);
                }
                return;
            }
            await AnswerWithAsync(fork, response);
            return;
        }

        // Final failure of one fork.
        fork.MarkFailed(status);
        if (_winner is null && _forks.All(f => f.Failed))
        {
            var relay = status switch
            {
                486 or 600 => 486,
                603 => 603,
                404 or 410 or 484 => 404,
                488 or 606 => 488,
                _ => 480,
            };
            Logger.LogInformation("Call {CallId}: all contacts failed (last {Status}), answering caller {Relay}", Id, status, relay);
            await _caller.RejectAsync(relay);
            End($"callee failed with {status}");
        }
    }

    private async ValueTask AnswerWithAsync(OutboundLeg fork, SipResponse response)
    {
        var media = _calleeMedia!;
        var negotiated = Context.Negotiator.ProcessAnswer(fork.Sdp, response.Body, fork.Destination);
        _winner = fork;
        _ringTimer?.Cancel();
        await AcceptWinningForkAsync(fork, response, _forks, media);
        if (!negotiated.Success)
        {
            Logger.LogWarning("Call {CallId}: callee's answer unusable: {Reason}", Id, negotiated.Failure);
            fork.SendBye();
            await _caller.RejectAsync(488, negotiated.Failure);
            End("callee answer unusable");
            return;
        }
        negotiated.ApplyTo(media);
        Bridge(media);
        if (_caller.InviteTransaction.IsCancelled)
        {
            fork.SendBye();
            End("caller cancelled while callee answered");
            return;
        }
        await _caller.AnswerAsync(_callerAnswer!.Sdp!);
        Logger.LogInformation("Call {CallId}: answered by {Target} at {Contact}", Id, _target, fork.Destination);
    }

    public override SupervisionTarget? GetSupervisionTarget() =>
        !IsEnded && _winner is { IsTerminated: false } && _caller.Media is { } caller && _calleeMedia is { } callee
            ? new SupervisionTarget(_target, caller, callee)
            : null;

    internal override void ReleaseAgentForTakeOver(string supervisor)
    {
        if (_winner is { IsTerminated: false } winner)
        {
            Logger.LogInformation("Call {CallId}: supervisor took over, BYE to {Target}", Id, _target);
            winner.SendBye();
        }
    }

    private void Bridge(RtpSession callee)
    {
        var caller = _caller.Media!;
        caller.SetSource(new BridgeSource(callee));
        callee.SetSource(new BridgeSource(caller));
    }

    public override async ValueTask OnCancelAsync(InboundLeg leg)
    {
        Logger.LogInformation("Call {CallId}: caller cancelled while ringing", Id);
        _ringTimer?.Cancel();
        foreach (var fork in _forks)
        {
            fork.Cancel();
            fork.MarkTerminated();
        }
        await _caller.RejectAsync(487);
        End("caller cancelled");
    }

    protected override ValueTask OnLegHungUpAsync(CallLeg from)
    {
        _ringTimer?.Cancel();
        if (from == _caller)
        {
            _winner?.SendBye();
            foreach (var fork in _forks.Where(f => !f.Answered))
            {
                fork.Cancel();
                fork.MarkTerminated();
            }
            End("caller hung up");
        }
        else
        {
            _caller.SendBye();
            End("callee hung up");
        }
        return ValueTask.CompletedTask;
    }
}
