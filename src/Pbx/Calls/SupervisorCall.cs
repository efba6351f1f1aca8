using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Mixer;
using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Calls;

/// <summary>
/// A supervisor's call into a live caller–agent call (RFC 7667 §3.6 media-mixing topology): the supervisor's INVITE
/// (RFC 3261 §13.3) is answered, and the caller, the agent and the supervisor are put in one
/// <see cref="MixerConference"/> on the supervised call's media loop, with the hearing matrix of the
/// <see cref="SupervisorMode"/>. Digits from the supervisor (1 listen, 2 whisper, 3 barge, 4 take over) or
/// <see cref="SetMode"/> switch modes. When the supervisor hangs up the call returns to the plain bridge (or, after a
/// take over, ends); when the supervised call ends the supervisor gets BYE. The call either comes from the supervisor
/// (feature code, <see cref="InboundLeg"/>) or is originated by the server towards the supervisor's phones (HTTP API,
/// see SupervisorCall.Originate.cs); both join the same way. While joined, <see cref="Call.RecordingMix"/> of the
/// supervised call is a listen-only mixer participant hearing agent and supervisor (the recording's "our side").
/// </summary>
public sealed partial class SupervisorCall : Call
{
    private readonly InboundLeg? _leg;
    private MixerConference? _conference;
    private MixerListener? _recordingMix;
    private SupervisionTarget? _parties;
    private int _callerSlot;
    private int _agentSlot;
    private int _supervisorSlot;
    private bool _joined;
    private bool _tookOver;
    private bool _watchingTarget;

    public SupervisorCall(CallContext context, ServerTransaction invite, string supervisor, Call target,
        SupervisorMode mode)
        : base(context, invite.Request.CallId!, "supervisor")
    {
        _leg = new InboundLeg(this, context.Stack, invite);
        SupervisorNumber = supervisor;
        Target = target;
        Mode = mode;
    }

    /// <summary>The supervisor's extension.</summary>
    public string SupervisorNumber { get; }

    /// <summary>The supervised call.</summary>
    public Call Target { get; }

    /// <summary>The agent's extension, once joined.</summary>
    public string? Agent => _parties?.Agent;

    /// <summary>The current mode (last requested).</summary>
    public SupervisorMode Mode { get; private set; }

    /// <summary>Completes once the supervisor is joined (true) or could not be (false).</summary>
    public Task<bool> Joined => _joinedTcs.Task;

    /// <summary>Why joining failed, as a SIP-style status (408 no answer, 480 not reachable / agent not in a call,
    /// 486 already supervised or busy, 488, 503...), once <see cref="Joined"/> completed with false.</summary>
    public int? FailureStatus { get; private set; }

    /// <summary>Text for <see cref="FailureStatus"/>.</summary>
    public string? FailureReason { get; private set; }

    private readonly TaskCompletionSource<bool> _joinedTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override IEnumerable<CallLeg> Legs => _leg is null ? _forks : [_leg];

    public override async ValueTask StartAsync()
    {
        if (_leg is null)
        {
            await StartOriginatedAsync();
            return;
        }
        var parties = Target.GetSupervisionTarget();
        if (parties is null)
        {
            await RefuseAsync(480, "Agent not in a call", "supervised call gone");
            return;
        }
        if (!Target.TryAttachSupervisor(this))
        {
            await RefuseAsync(486, "Already supervised", "call already supervised");
            return;
        }
        RtpSession session;
        try
        {
            session = Context.Media.CreateSession(Id, sameLoopAs: parties.CallerMedia);
        }
        catch (MediaPortsExhaustedException)
        {
            Target.DetachSupervisor(this);
            await RefuseAsync(503, "No media ports available", "no media ports");
            return;
        }
        WireMedia(_leg, session);
        var answer = Context.Negotiator.Answer(_leg.Invite.Body, session, _leg.Sdp, _leg.InviteTransaction.Remote);
        if (!answer.Success)
        {
            Target.DetachSupervisor(this);
            await RefuseAsync(488, answer.Failure, "no common codec");
            return;
        }
        answer.ApplyTo(session);
        var leg = _leg;
        leg.InviteTransaction.Cancelled += _ => Executor.Post(() => OnCancelAsync(leg));
        leg.InviteTransaction.AckTimedOut += _ => Executor.Post(() => HangupAsync("no ACK from supervisor"));
        if (leg.InviteTransaction.IsCancelled)
        {
            Target.DetachSupervisor(this);
            await OnCancelAsync(leg);
            return;
        }

        Join(parties, session);
        await leg.AnswerAsync(answer.Sdp!);
        OnJoined();
    }

    /// <summary>Puts caller, agent and the supervisor's <paramref name="session"/> in one conference, plus the
    /// recording's listener (agent + supervisor; the mixer mutes whoever does not talk in the current mode).</summary>
    private void Join(SupervisionTarget parties, RtpSession session)
    {
        _parties = parties;
        var conference = new MixerConference(parties.CallerMedia);
        _callerSlot = conference.Add(parties.CallerMedia);
        _agentSlot = conference.Add(parties.AgentMedia);
        _supervisorSlot = conference.Add(session, talks: false, hears: 0);
        conference.SetSupervisorMode(Mode, _callerSlot, _agentSlot, _supervisorSlot);
        _recordingMix = conference.AddListener(AudioMixer.Bit(_agentSlot) | AudioMixer.Bit(_supervisorSlot));
        _conference = conference;
        _joined = true;
        Target.SetRecordingMix(_recordingMix);
    }

    private void OnJoined()
    {
        Logger.LogInformation("Call {CallId}: supervisor {Supervisor} joined call {Target} of agent {Agent} ({Mode})",
            Id, SupervisorNumber, Target.Id, _parties!.Agent, Mode);
        Target.RecordSupervision(Event("started"));
        _joinedTcs.TrySetResult(true);
        WatchTarget();
    }

    /// <summary>When the supervised call ends, the supervisor's call ends too (BYE, or CANCEL while ringing).</summary>
    private void WatchTarget()
    {
        if (_watchingTarget)
        {
            return;
        }
        _watchingTarget = true;
        _ = Target.Executor.Completion.ContinueWith(_ => Executor.Post(OnTargetEndedAsync), TaskScheduler.Default);
    }

    /// <summary>Switches to <paramref name="mode"/> (any thread). After a take over the mode stays TakeOver.</summary>
    public void SetMode(SupervisorMode mode) => Executor.Post(() => ApplyMode(mode));

    public override void OnDigit(CallLeg leg, char digit)
    {
        if (SupervisionCodes.ModeOfDigit(digit) is { } mode)
        {
            Logger.LogInformation("Call {CallId}: supervisor digit '{Digit}': {Mode}", Id, digit, mode);
            ApplyMode(mode);
        }
    }

    protected override ValueTask OnLegHungUpAsync(CallLeg from)
    {
        Leave("supervisor hung up");
        End("supervisor hung up");
        return ValueTask.CompletedTask;
    }

    public override async ValueTask OnCancelAsync(InboundLeg leg)
    {
        Leave("supervisor cancelled");
        await leg.RejectAsync(487);
        End("supervisor cancelled");
    }

    private void ApplyMode(SupervisorMode mode)
    {
        if (!_joined || IsEnded || _tookOver || _conference is null || mode == Mode)
        {
            return;
        }
        Mode = mode;
        _conference.SetSupervisorMode(mode, _callerSlot, _agentSlot, _supervisorSlot);
        if (mode == SupervisorMode.TakeOver)
        {
            _tookOver = true;
            Target.Executor.Post(() => Target.ReleaseAgentForTakeOver(SupervisorNumber));
        }
        Logger.LogInformation("Call {CallId}: supervision of {Target} now {Mode}", Id, Target.Id, mode);
        Target.RecordSupervision(Event("mode"));
    }

    private async ValueTask OnTargetEndedAsync()
    {
        if (IsEnded)
        {
            return;
        }
        SetFailure(480, "supervised call ended");
        Leave("supervised call ended");
        await HangupAsync("supervised call ended");
    }

    /// <summary>Takes the supervisor out of the mix and gives the caller and agent back their bridge. Idempotent.</summary>
    private void Leave(string why)
    {
        if (!_joined)
        {
            Target.DetachSupervisor(this);
            _joinedTcs.TrySetResult(false);
            return;
        }
        _joined = false;
        var conference = _conference!;
        Target.SetRecordingMix(null);
        conference.Remove(_recordingMix!.Slot);
        conference.Remove(_supervisorSlot);
        conference.Remove(_callerSlot);
        conference.Remove(_agentSlot);
        Target.DetachSupervisor(this);
        if (!Target.IsEnded)
        {
            if (_tookOver)
            {
                Target.Executor.Post(() => Target.HangupAsync("supervisor hung up after take over"));
            }
            else if (Target.GetSupervisionTarget() is { } parties)
            {
                // The call's parties now, not at join time: the agent may have transferred the caller meanwhile.
                parties.CallerMedia.SetSource(new BridgeSource(parties.AgentMedia));
                parties.AgentMedia.SetSource(new BridgeSource(parties.CallerMedia));
            }
        }
        Logger.LogInformation("Call {CallId}: supervisor {Supervisor} left call {Target}: {Why}",
            Id, SupervisorNumber, Target.Id, why);
        Target.RecordSupervision(Event("ended"));
    }

    private async ValueTask RefuseAsync(int status, string? reason, string why)
    {
        Logger.LogInformation("Call {CallId}: supervision by {Supervisor} refused: {Why}", Id, SupervisorNumber, why);
        SetFailure(status, why);
        _joinedTcs.TrySetResult(false);
        await _leg!.RejectAsync(status, reason);
        End(why);
    }

    /// <summary>Notes why joining failed (first reason wins; ignored once joined).</summary>
    private void SetFailure(int status, string why)
    {
        if (FailureStatus is null && !_joinedTcs.Task.IsCompleted)
        {
            FailureStatus = status;
            FailureReason = why;
        }
    }

    private SupervisionEvent Event(string kind) =>
        new(kind, SupervisorNumber, _parties?.Agent ?? "", Mode, Context.Time.GetUtcNow(), Id);
}
