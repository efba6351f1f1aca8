using Microsoft.Extensions.Logging;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Media;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Calls;

/// <summary>
/// A callback attempt the server originates (<see cref="CallManager.Originate"/>), a B2BUA with two UAC legs (RFC 3261
/// §8.1): the first leg rings the reserved agent's registered contacts (forked, <see cref="AgentDialer"/>) with the
/// screen pop in X-Telephony-* headers; once the queue confirms the agent (<see cref="DialCustomer"/>) the second leg
/// calls the customer through the outbound trunk (<see cref="TrunkDialer"/>: digest, ringback or early media to the
/// agent), and on answer the two are bridged on one media loop. The customer's leg is the call's "caller" for the call
/// record and the recording (<see cref="ICallObserver.OnCallAnswered"/>), so one recording covers the conversation.
/// <see cref="AgentOutcome"/>, <see cref="CustomerResult"/> and <see cref="Ended"/> report the attempt to the queue
/// layer; the call never decides on retries itself.
/// </summary>
public sealed class CallbackCall : Call, IDialingCall
{
    private readonly TaskCompletionSource<CallbackAttemptResult> _customer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly AgentLeg _agent;
    private readonly AgentSideAudio _agentAudio;
    private readonly TrunkDialer _trunk;
    private AgentLeg? _customerLeg;
    private string _endReason = "ended";
    private volatile bool _dialing;
    private volatile bool _bridged;

    public CallbackCall(CallContext context, CallbackDial dial)
        : base(context, SipIds.NewCallId(), "callback")
    {
        ArgumentNullException.ThrowIfNull(dial);
        Dial = dial;
        CallerNumber = dial.CustomerNumber;
        DialedNumber = dial.CustomerNumber;
        Identity = NameAddress.Parse($"<sip:{dial.CustomerNumber}@invalid>");
        Identity.DisplayName = "Callback " + (string.IsNullOrWhiteSpace(dial.CustomerName) ? dial.CustomerNumber : dial.CustomerName);
        Dialer = new AgentDialer(this);
        _agentAudio = new AgentSideAudio(this);
        _trunk = new TrunkDialer(this, Dialer, _agentAudio);
        _agent = new AgentLeg(dial.Agent, dial.AgentHeaders);
        Executor.Completion.ContinueWith(_ => OnCompleted(), TaskScheduler.Default);
    }

    /// <summary>What this attempt does.</summary>
    public CallbackDial Dial { get; }

    /// <summary>The From shown on the agent's phone: <c>"Callback &lt;name or number&gt;" &lt;sip:number@...&gt;</c>.</summary>
    public NameAddress Identity { get; }

    /// <summary>How ringing the agent ended (answered: the agent is on the line, waiting for the customer).</summary>
    public Task<RingOutcome> AgentOutcome => _agent.Outcome;

    /// <summary>How the call to the customer ended (<see cref="CallbackAttemptResult.Answered"/>: bridged).</summary>
    public Task<CallbackAttemptResult> CustomerResult => _customer.Task;

    /// <summary>Completes with the reason once the call has ended (media released).</summary>
    public Task<string> Ended => _ended.Task;

    /// <summary>True once the customer answered and is bridged to the agent.</summary>
    public bool CustomerConnected => _bridged;

    /// <summary>When the customer was bridged to the agent (talk time counts from here), or null.</summary>
    public DateTimeOffset? ConnectedAt { get; private set; }

    public override IEnumerable<CallLeg> Legs => [.. Dialer.Legs.SelectMany(l => l.Forks)];

    internal AgentDialer Dialer { get; }

    // --- IDialingCall ---------------------------------------------------------------------------------------------------

    Call IDialingCall.Call => this;
    ILogger IDialingCall.CallLogger => Logger;
    RtpSession? IDialingCall.AnchorMedia => _agent.Media;
    NameAddress IDialingCall.CallerIdentity => Identity;
    string IDialingCall.CallerNumber => Dial.CallerId;
    string IDialingCall.InteractionId => Dial.CallbackId;
    int IDialingCall.MaxForwards => 70;
    bool IDialingCall.HasBridgedParty => _bridged;

    void IDialingCall.CancelRing(AgentLeg leg) => Executor.Post(() => Dialer.Finish(leg, "cancelled"));

    void IDialingCall.Bridge(AgentLeg leg) => Executor.Post(() => BridgeCustomer(leg));

    // --- the attempt ----------------------------------------------------------------------------------------------------

    public override ValueTask StartAsync()
    {
        Logger.LogInformation("Call {CallId}: callback {Callback} attempt {Attempt}: ringing agent {Agent} for {Number} (queue {Queue})",
            Id, Dial.CallbackId, Dial.Attempt, Dial.Agent, Dial.CustomerNumber, Dial.Queue);
        Dialer.Ring(_agent);
        _ = _agent.Outcome.ContinueWith(t =>
        {
            if (t.Result != RingOutcome.Answered)
            {
                Executor.Post(() => EndAllAsync($"agent {Dial.Agent} not reached ({t.Result})"));
            }
        }, TaskScheduler.Default);
        return ValueTask.CompletedTask;
    }

    /// <summary>The queue confirmed the answering agent and the attempt is on record: call the customer now (the agent
    /// hears ringback or the carrier's early media meanwhile). <see cref="CustomerResult"/> tells how it went. Any thread.</summary>
    public void DialCustomer() => Executor.Post(() =>
    {
        if (IsEnded || _dialing || _agent.Winner is null || _agent.IsFinished)
        {
            _customer.TrySetResult(CallbackAttemptResult.NotDialed);
            return;
        }
        _dialing = true;
        Logger.LogInformation("Call {CallId}: callback {Callback} attempt {Attempt}: agent {Agent} ready, calling {Number} via trunk {Trunk}",
            Id, Dial.CallbackId, Dial.Attempt, Dial.Agent, Dial.CustomerNumber, Dial.Trunk.Name);
        // Off the executor: the trunk dialer waits for responses that the executor delivers.
        _ = Task.Run(async () =>
        {
            var result = await _trunk.DialAsync(Dial.Trunk, Dial.CustomerNumber, Dial.CustomerHeaders, Dial.CustomerRingTimeout)
                .ConfigureAwait(false);
            _customerLeg ??= Dialer.Legs.FirstOrDefault(l => l != _agent);
            if (result != CallbackAttemptResult.Answered && _agent.Winner is { IsTerminated: true })
            {
                result = CallbackAttemptResult.AgentLeft;
            }
            Logger.LogInformation("Call {CallId}: callback {Callback} attempt {Attempt}: customer {Result}", Id, Dial.CallbackId,
                Dial.Attempt, result);
            _customer.TrySetResult(result);
        });
    });

    /// <summary>Ends the attempt now (CANCEL or BYE to every leg): the agent is released. Any thread.</summary>
    public void Hangup(string reason) => Executor.Post(() => EndAllAsync(reason));

    private void BridgeCustomer(AgentLeg leg)
    {
        if (IsEnded || _bridged || leg == _agent || leg.Winner is not { IsTerminated: false } customer || leg.Media is null
            || _agent.Media is null || _agent.Winner is not { IsTerminated: false })
        {
            Logger.LogWarning("Call {CallId}: callback {Callback}: cannot bridge the customer (a leg is gone)", Id, Dial.CallbackId);
            return;
        }
        _customerLeg = leg;
        _bridged = true;
        leg.IsBridged = true;
        _agent.IsBridged = true;
        ConnectedAt = Context.Time.GetUtcNow();
        Outcome = CallOutcome.Answered;
        _agent.Media.SetSource(new BridgeSource(leg.Media));
        leg.Media.SetSource(new BridgeSource(_agent.Media));
        Logger.LogInformation("Call {CallId}: callback {Callback}: customer {Number} bridged to agent {Agent}", Id, Dial.CallbackId,
            Dial.CustomerNumber, Dial.Agent);
        NotifyAnswered(customer); // the call record's answer, and the recording's tap on the customer's leg
    }

    public override ValueTask OnResponseAsync(OutboundLeg leg, SipResponse response) => Dialer.OnResponseAsync(leg, response);

    /// <summary>Hands a queue event of this attempt (agent rung, no answer, answered) to the <see cref="ICallObserver"/>
    /// for the attempt's call record; exceptions are logged, never thrown.</summary>
    internal void ReportQueueEvent(QueueCallEvent e)
    {
        try
        {
            Context.Observer.OnQueueEvent(this, e);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Logger.LogError(ex, "Call {CallId}: call observer failed on queue event {Kind}", Id, e.Kind);
        }
    }

    protected override async ValueTask OnLegHungUpAsync(CallLeg from)
    {
        var leg = Dialer.LegOf(from);
        if (leg is null)
        {
            return;
        }
        if (leg == _agent)
        {
            Logger.LogInformation("Call {CallId}: callback {Callback}: agent {Agent} hung up", Id, Dial.CallbackId, Dial.Agent);
            await EndAllAsync("agent hung up");
            return;
        }
        Logger.LogInformation("Call {CallId}: callback {Callback}: customer {Number} hung up", Id, Dial.CallbackId, Dial.CustomerNumber);
        await EndAllAsync("customer hung up");
    }

    public override SupervisionTarget? GetSupervisionTarget() =>
        !IsEnded && _bridged && _customerLeg is { Media: { } customer } && _agent.Media is { } agent
            ? new SupervisionTarget(Dial.Agent, customer, agent)
            : null;

    private async ValueTask EndAllAsync(string reason)
    {
        if (IsEnded)
        {
            return;
        }
        _endReason = reason;
        if (!_bridged)
        {
            Outcome ??= CallOutcome.Failed;
        }
        Dialer.RejectAll();
        await HangupAsync(reason);
    }

    private void OnCompleted()
    {
        Dialer.ReleaseAll();
        _customer.TrySetResult(_dialing ? CallbackAttemptResult.AgentLeft : CallbackAttemptResult.NotDialed);
        _ended.TrySetResult(_endReason);
    }

    /// <summary>What the agent hears while the customer is called: ringback, the carrier's early media, then the customer.</summary>
    private sealed class AgentSideAudio(CallbackCall call) : IPartyAudio
    {
        public void HandOver(MediaSource source) => call._agent.Media?.SetSource(source);

        public void SetBackground(MediaSource background)
        {
            if (!call._bridged)
            {
                call._agent.Media?.SetSource(background);
            }
        }
    }
}
