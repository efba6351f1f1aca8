using Microsoft.Extensions.Logging;
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
/// answers. Every method is safe from any thread: the work runs on the call's <see cref="CallExecutor"/>. The caller
/// hanging up at any time cancels ringing agents, releases answered ones and completes <see cref="Ended"/>.
/// </summary>
public sealed partial class ApplicationCall : Call
{
    private readonly InboundLeg _caller;
    private readonly List<AgentLeg> _agentLegs = [];
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _endReason = "ended";
    private volatile bool _callerHungUp;

    private readonly ICallApplications _applications;
    private readonly IAgentTransfers _transfers;

    public ApplicationCall(CallContext context, ServerTransaction invite, string dialed, string caller, bool fromTrunk,
        NameAddress callerIdentity, ICallApplications applications, IAgentTransfers transfers)
        : base(context, invite.Request.CallId!, "application")
    {
        ArgumentNullException.ThrowIfNull(applications);
        ArgumentNullException.ThrowIfNull(transfers);
        _applications = applications;
        _transfers = transfers;
        _caller = new InboundLeg(this, context.Stack, invite);
        Dialed = dialed;
        Caller = caller;
        FromTrunk = fromTrunk;
        CallerIdentity = callerIdentity;
        InteractionId = Guid.NewGuid().ToString("N");
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

    /// <summary>A key from the caller (RFC 4733 telephone-event or in-band DTMF); raised on the call's executor.</summary>
    public event Action<ApplicationCall, char>? DigitReceived;

    public override IEnumerable<CallLeg> Legs => [_caller, .. _agentLegs.SelectMany(a => a.Forks)];

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

    public override void OnDigit(CallLeg leg, char digit)
    {
        if (leg != _caller)
        {
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
        var agent = _agentLegs.FirstOrDefault(a => a.Forks.Contains(from));
        if (agent is null)
        {
            return;
        }
        if (agent.IsBridged)
        {
            Logger.LogInformation("Call {CallId}: agent {Agent} hung up", Id, agent.Agent);
            await EndAllAsync("agent hung up");
            return;
        }
        // Answered but not bridged yet (or released): this agent leg is gone; the caller stays.
        agent.IsFinished = true;
        agent.ReleaseMedia();
        agent.TryComplete(RingOutcome.Rejected);
    }

    private async ValueTask EndAllAsync(string reason)
    {
        if (IsEnded)
        {
            return;
        }
        _endReason = reason;
        foreach (var agent in _agentLegs)
        {
            agent.IsFinished = true;
            agent.TryComplete(RingOutcome.Rejected);
        }
        await HangupAsync(reason);
    }

    private void Finish(string reason)
    {
        _endReason = reason;
        End(reason);
    }

    private void OnCompleted()
    {
        lock (_playGate)
        {
            _play?.TrySetResult();
            _play = null;
        }
        foreach (var agent in _agentLegs.ToList())
        {
            agent.TryComplete(RingOutcome.Rejected);
            agent.ReleaseMedia();
        }
        _ended.TrySetResult(_endReason);
    }
}
