using Microsoft.Extensions.Logging;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Media;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Calls;

/// <summary>
/// A call answered by the server for an application (the IVR, queues, feature codes): the caller's leg is answered at
/// once (RFC 3261 §13.3, offer/answer RFC 3264), then the application plays prompts, hears digits (RFC 4733 or
/// in-band), holds the caller, rings agents with the interaction data in headers and bridges the caller to the one who
/// answers. Every public method is safe from any thread: the work runs on the call's <see cref="CallExecutor"/>. The
/// caller hanging up at any time cancels ringing agents, releases answered ones and completes <see cref="Ended"/>.
/// The work is done by one component per concern: <see cref="CallerAudio"/> (prompts, hold, ringback),
/// <see cref="AgentDialer"/> (ringing people), <see cref="TrunkDialer"/> (calling out through a trunk),
/// <see cref="AgentReferTransfer"/> (REFER by the agent) and <see cref="CallOutcomeBook"/> (the record's outcome); this
/// class owns the caller's leg, the bridge and the call's life.
/// </summary>
public sealed partial class ApplicationCall : Call, IDialingCall
{
    private readonly InboundLeg _caller;
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ICallApplications _applications;
    private readonly CallerAudio _audio;
    private readonly TrunkDialer _trunk;
    private readonly AgentReferTransfer _transfer;
    private readonly CallOutcomeBook _outcome;
    private string _endReason = "ended";
    private volatile bool _callerHungUp;
    private AgentLeg? _bridged;

    public ApplicationCall(CallContext context, ServerTransaction invite, string dialed, string caller, bool fromTrunk,
        NameAddress callerIdentity, ICallApplications applications, IAgentTransfers transfers)
        : base(context, invite.Request.CallId!, "application")
    {
        ArgumentNullException.ThrowIfNull(applications);
        ArgumentNullException.ThrowIfNull(transfers);
        _applications = applications;
        _caller = new InboundLeg(this, context.Stack, invite);
        Dialed = dialed;
        Caller = caller;
        FromTrunk = fromTrunk;
        CallerIdentity = callerIdentity;
        InteractionId = Guid.NewGuid().ToString("N");
        _audio = new CallerAudio(this);
        Dialer = new AgentDialer(this);
        _trunk = new TrunkDialer(this, Dialer, _audio);
        _transfer = new AgentReferTransfer(this, transfers, _audio);
        _outcome = new CallOutcomeBook(this);
        Executor.Completion.ContinueWith(_ => OnCompleted(), TaskScheduler.Default);
    }

    /// <summary>The number the caller dialed.</summary>
    public string Dialed { get; }

    /// <summary>The caller: the extension for authenticated callers, the From user for trunk calls.</summary>
    public string Caller { get; }

    /// <summary>True when the call came in on a trunk (no extension behind it).</summary>
    public bool FromTrunk { get; }

    /// <summary>Identity shown to agents (From of their INVITE).</summary>
    public NameAddress CallerIdentity { get; }

    /// <summary>Id of this customer contact; stays the same across queue hops and transfers.</summary>
    public string InteractionId { get; }

    public InboundLeg CallerLeg => _caller;

    /// <summary>True when the caller (not us, not the agent) ended the call.</summary>
    public bool CallerHungUp => _callerHungUp;

    /// <summary>Completes with the reason once the call has ended for any reason (and its media is released).</summary>
    public Task<string> Ended => _ended.Task;

    /// <summary>The agent leg the caller is talking to, once bridged.</summary>
    public AgentLeg? BridgedAgent => _bridged;

    /// <summary>The outcome the call gets if it ends now (null before the server answered the caller).</summary>
    public CallOutcome? Progress => _outcome.Progress;

    /// <summary>When a person (agent or extension) was first bridged to the caller; talk time counts from here.</summary>
    public DateTimeOffset? ConnectedAt => _outcome.ConnectedAt;

    /// <summary>A key from the caller (RFC 4733 telephone-event or in-band DTMF); raised on the call's executor.</summary>
    public event Action<ApplicationCall, char>? DigitReceived;

    /// <summary>Raised on the call's executor when the caller's BYE arrives, before the call is torn down (the queue
    /// records the abandon before the call record closes).</summary>
    internal event Action<ApplicationCall>? CallerLeaving;

    public override IEnumerable<CallLeg> Legs => [_caller, .. Dialer.Legs.SelectMany(a => a.Forks)];

    internal AgentDialer Dialer { get; }

    internal ILogger CallLogger => Logger;

    // --- what the dialing components see (IDialingCall) ------------------------------------------------------------

    Call IDialingCall.Call => this;
    ILogger IDialingCall.CallLogger => Logger;
    RtpSession? IDialingCall.AnchorMedia => _caller.Media;
    string IDialingCall.CallerNumber => Caller;
    int IDialingCall.MaxForwards => Math.Max(Math.Min((_caller.Invite.MaxForwards ?? 70) - 1, 70), 1);
    bool IDialingCall.HasBridgedParty => _bridged is not null;

    public override async ValueTask StartAsync()
    {
        if (await AnswerCallerMediaAsync(_caller, Finish) is not { } negotiation)
        {
            return;
        }
        var session = _caller.Media!;
        session.SetSource(SilenceSource.Instance);
        _caller.InviteTransaction.Cancelled += _ => Executor.Post(() => OnCancelAsync(_caller));
        _caller.InviteTransaction.AckTimedOut += _ => Executor.Post(() => HangupAsync("no ACK for 200 OK"));
        if (_caller.InviteTransaction.IsCancelled)
        {
            await OnCancelAsync(_caller);
            return;
        }
        await _caller.AnswerAsync(negotiation.Sdp!);
        SetProgress(CallOutcome.AbandonedInIvr);
        Logger.LogInformation("Call {CallId}: application call from {Caller} to {Dialed} answered ({Codec}), interaction {Interaction}",
            Id, Caller, Dialed, negotiation.Parameters!.Codec, InteractionId);
        try
        {
            await _applications.StartAsync(this);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Logger.LogError(ex, "Call {CallId}: application failed to start", Id);
            await HangupAsync("application failed");
        }
    }

    // --- what the caller hears ----------------------------------------------------------------------------------------

    /// <summary>
    /// Plays <paramref name="clips"/> in order, then returns to the background (silence, or the hold loop). Completes
    /// when the last clip ends or when <see cref="StopPlayback"/>, another play, a bridge or the end of the call stops
    /// it. A play replaces the one in progress.
    /// </summary>
    public Task PlayAsync(IReadOnlyList<AudioClip> clips)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (IsEnded)
        {
            done.SetException(new InvalidOperationException("the call has ended"));
            return done.Task;
        }
        Executor.Post(() => _audio.Play(clips, done));
        return done.Task;
    }

    /// <summary>Stops the current playback at once (barge-in); the background resumes. No-op when nothing plays.</summary>
    public void StopPlayback() => Executor.Post(() => _audio.Stop(resumeBackground: true));

    /// <summary>
    /// Starts hold audio: <paramref name="music"/> looped (silence when null) from now until a bridge or the end of the
    /// call; prompts played meanwhile (announcements) return to it where it stopped.
    /// </summary>
    public void StartHold(AudioClip? music) =>
        Executor.Post(() => _audio.SetBackground(music is null ? SilenceSource.Instance : new LoopSource(music)));

    /// <summary>Stops hold audio (the caller hears silence unless a prompt plays).</summary>
    public void StopHold() => Executor.Post(() => _audio.SetBackground(SilenceSource.Instance));

    /// <summary>Plays <paramref name="goodbye"/> (when given), then ends the call with BYE.</summary>
    public void Hangup(AudioClip? goodbye, string reason)
    {
        if (goodbye is null)
        {
            Hangup(reason);
            return;
        }
        _ = PlayAsync([goodbye]).ContinueWith(_ => Hangup(reason), TaskScheduler.Default);
    }

    // --- reaching people ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Rings every registered contact of <paramref name="agent"/> with <paramref name="headers"/> on the INVITE.
    /// The returned leg's <see cref="AgentLeg.Outcome"/> tells how it ended; an answered leg waits (hearing silence)
    /// until <see cref="Bridge"/> or <see cref="Release"/>.
    /// </summary>
    public AgentLeg RingAgent(string agent, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var leg = new AgentLeg(agent, headers);
        if (IsEnded)
        {
            leg.IsFinished = true;
            leg.TryComplete(RingOutcome.Rejected);
            return leg;
        }
        Executor.Post(() => Dialer.Ring(leg));
        return leg;
    }

    /// <summary>CANCELs a ringing agent leg (BYE if it answered but is not bridged). Its outcome becomes Rejected.</summary>
    public void CancelRing(AgentLeg leg) => Executor.Post(() => Dialer.Finish(leg, "cancelled"));

    /// <summary>BYE to an answered agent leg that will not be bridged (its 200 crossed our CANCEL).</summary>
    public void Release(AgentLeg leg) => Executor.Post(() => Dialer.Finish(leg, "released"));

    /// <summary>Stops prompts and hold audio and connects the caller's media to the answered agent leg.</summary>
    public void Bridge(AgentLeg leg) => Executor.Post(() =>
    {
        if (IsEnded)
        {
            return;
        }
        if (leg.Winner is null || leg.Winner.IsTerminated || leg.Media is null || _bridged is not null)
        {
            Logger.LogWarning("Call {CallId}: cannot bridge to {Agent}: leg not answered or gone", Id, leg.Agent);
            return;
        }
        _audio.HandOver(new BridgeSource(leg.Media));
        _bridged = leg;
        leg.IsBridged = true;
        _outcome.MarkConnected();
        leg.Media.SetSource(new BridgeSource(_caller.Media!));
        Logger.LogInformation("Call {CallId}: caller {Caller} bridged to agent {Agent}", Id, Caller, leg.Agent);
    });

    /// <summary>
    /// Rings <paramref name="extension"/> for at most <paramref name="ringTimeout"/> and bridges the caller on answer.
    /// True when connected.
    /// </summary>
    public Task<bool> ConnectAsync(string extension, IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan ringTimeout) =>
        Dialer.BridgeWhenAnsweredAsync(RingAgent(extension, headers), ringTimeout);

    /// <summary>
    /// <see cref="ConnectTrunkAsync(TrunkOptions, string, IReadOnlyList{KeyValuePair{string, string}}, TimeSpan)"/> for the
    /// trunk named <paramref name="trunkName"/> in telephony.yaml; an unknown name is logged and returns false.
    /// </summary>
    public Task<bool> ConnectTrunkAsync(string trunkName, string number, IReadOnlyList<KeyValuePair<string, string>> headers,
        TimeSpan ringTimeout)
    {
        if (Context.Options.FindTrunk(trunkName) is { } trunk)
        {
            return ConnectTrunkAsync(trunk, number, headers, ringTimeout);
        }
        Logger.LogError("Call {CallId}: transfer to {Number} names trunk '{Trunk}', which telephony.yaml does not define (trunks: {Known})",
            Id, number, trunkName, string.Join(", ", Context.Options.Trunks.Select(t => t.Name)));
        return Task.FromResult(false);
    }

    /// <summary>
    /// Calls <paramref name="number"/> through <paramref name="trunk"/>'s outbound side with <paramref name="headers"/> on
    /// the INVITE. While it rings the caller hears the carrier's early media, or ringback; on 2xx the caller is bridged
    /// to it (transcoding PCMU/PCMA as needed). Any final error, <paramref name="ringTimeout"/> (then CANCEL) or a
    /// trunk without <see cref="TrunkOptions.Outbound"/> returns false and the caller is back to silence, still
    /// connected. True when connected.
    /// </summary>
    public Task<bool> ConnectTrunkAsync(TrunkOptions trunk, string number,
        IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan ringTimeout)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        ArgumentNullException.ThrowIfNull(number);
        return _trunk.ConnectAsync(trunk, number, headers, ringTimeout);
    }

    /// <summary>
    /// Blind transfer of the caller by the connected agent without a REFER (the agent desktop): the same steps as a
    /// REFER on the agent's leg (RFC 5589 §6) minus the NOTIFYs. The caller is detached from the agent and handed to
    /// <paramref name="target"/> (a queue name or an extension, through <see cref="IAgentTransfers"/>). Completes with a
    /// SIP-style status: 2xx once handed over (the agent's leg gets BYE after a short grace time), 403 when no agent is
    /// connected, 491 while another transfer runs, 405 when the server takes no transfers, 487 when the call ended,
    /// otherwise the transfer's failure status (408 no answer, 480, 486, 503), with the caller back with the agent.
    /// </summary>
    public Task<int> TransferAsync(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        return _transfer.TransferAsync(target);
    }

    /// <summary>The bridged agent's leg is detached from the caller (a transfer in progress).</summary>
    internal void Unbridge()
    {
        if (_bridged is { } agent)
        {
            agent.IsBridged = false;
        }
        _bridged = null;
    }

    /// <summary>Connects the caller to <paramref name="agent"/> again (a failed transfer goes back to the transferor).</summary>
    internal void Rebridge(AgentLeg agent)
    {
        _bridged = agent;
        agent.IsBridged = true;
        _caller.Media!.SetSource(new BridgeSource(agent.Media!));
        agent.Media!.SetSource(new BridgeSource(_caller.Media));
    }

    public override ValueTask OnResponseAsync(OutboundLeg leg, SipResponse response) => Dialer.OnResponseAsync(leg, response);

    protected override async ValueTask OnReferAsync(CallLeg leg, ServerTransaction tx)
    {
        if (!_transfer.Accepts)
        {
            await base.OnReferAsync(leg, tx);
            return;
        }
        await _transfer.OnReferAsync(leg, tx);
    }

    // --- the record -----------------------------------------------------------------------------------------------------

    /// <summary>
    /// Moves the call's outcome to <paramref name="outcome"/> (see <see cref="CallOutcomes.Advance"/>: a call
    /// that reached a person stays answered; with <paramref name="onlyFrom"/> only while the call stands there). Sets
    /// <see cref="Call.Outcome"/> for the call record. True when the outcome changed. Safe from any thread.
    /// </summary>
    public bool SetProgress(CallOutcome outcome, CallOutcome? onlyFrom = null) => _outcome.Advance(outcome, onlyFrom);

    /// <summary>Hands the application's progress (IVR path, variables) to the <see cref="ICallObserver"/> for the call
    /// record; exceptions are logged, never thrown.</summary>
    public void ReportProgress(ApplicationProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        _outcome.Report(progress);
    }

    /// <summary>Hands a queue event to the <see cref="ICallObserver"/> (exceptions are logged, never thrown).</summary>
    internal void ReportQueueEvent(QueueCallEvent e) => _outcome.Report(e);

    // --- supervision ----------------------------------------------------------------------------------------------------

    public override SupervisionTarget? GetSupervisionTarget() =>
        !IsEnded && _bridged is { Winner.IsTerminated: false, Media: { } agent } leg && _caller.Media is { } caller
            ? new SupervisionTarget(leg.Agent, caller, agent)
            : null;

    internal override void ReleaseAgentForTakeOver(string supervisor)
    {
        if (_bridged?.Winner is { IsTerminated: false } winner)
        {
            Logger.LogInformation("Call {CallId}: supervisor {Supervisor} took over, BYE to agent {Agent}", Id, supervisor, _bridged.Agent);
            winner.SendBye();
            _transfer.OnTakenOver(_bridged.Agent, supervisor); // a queue releases the agent (wrap-up, next caller)
        }
    }

    // --- the call's life ------------------------------------------------------------------------------------------------

    public override void OnDigit(CallLeg leg, char digit)
    {
        if (leg != _caller)
        {
            OnAgentDigit(leg, digit);
            return;
        }
        Logger.LogInformation("Call {CallId}: DTMF '{Digit}' from the caller", Id, digit);
        DigitReceived?.Invoke(this, digit);
    }

    /// <summary>Ends the call now with BYE (cancelling ringing agents, releasing answered ones).</summary>
    public void Hangup(string reason) => Executor.Post(() => EndAllAsync(reason));

    protected override async ValueTask OnLegHungUpAsync(CallLeg from)
    {
        if (from == _caller)
        {
            _callerHungUp = true;
            RaiseCallerLeaving();
            await EndAllAsync("caller hung up");
            return;
        }
        var agent = Dialer.LegOf(from);
        if (agent is null)
        {
            return;
        }
        if (agent.IsBridged)
        {
            Logger.LogInformation("Call {CallId}: agent {Agent} hung up", Id, agent.Agent);
            if (KeepCallerAfter(agent))
            {
                return; // the application goes on with the caller (a post-call survey)
            }
            await EndAllAsync("agent hung up");
            return;
        }
        // Answered but not bridged yet (or released): this agent leg is gone; the caller stays.
        agent.IsFinished = true;
        agent.ReleaseMedia();
        agent.TryComplete(RingOutcome.Rejected);
    }

    internal async ValueTask EndAllAsync(string reason)
    {
        if (IsEnded)
        {
            return;
        }
        _endReason = reason;
        Dialer.RejectAll();
        await HangupAsync(reason);
    }

    private void Finish(string reason)
    {
        _endReason = reason;
        End(reason);
    }

    private void RaiseCallerLeaving()
    {
        try
        {
            CallerLeaving?.Invoke(this);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Logger.LogError(e, "Call {CallId}: caller-leaving handler failed", Id);
        }
    }

    private void OnCompleted()
    {
        _reattach?.Cancel();
        _audio.Complete();
        Dialer.ReleaseAll();
        _ended.TrySetResult(_endReason);
    }
}
