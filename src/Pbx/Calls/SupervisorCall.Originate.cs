using Microsoft.Extensions.Logging;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Mixer;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Calls;

// Supervision started from the HTTP API: the server calls the supervisor's phone (RFC 3261 §13.2, forked to every
// registered contact as ContactForker does for agents, first 2xx wins) and joins on answer.
public sealed partial class SupervisorCall
{
    private readonly List<OutboundLeg> _forks = [];
    private readonly TimeSpan _ringTimeout;
    private RtpSession? _media;
    private OutboundLeg? _winner;
    private CancellationTokenSource? _ringTimer;

    /// <summary>
    /// A supervision the server originates: <see cref="Call.StartAsync"/> rings every registered contact of
    /// <paramref name="supervisor"/> with From <c>"Supervise 1001" &lt;sip:*811001@server&gt;</c> for at most
    /// <paramref name="ringTimeout"/>; the first to answer is joined to <paramref name="target"/> in
    /// <paramref name="mode"/> exactly as a dialed feature code is. Start it with <see cref="CallManager.Originate"/>.
    /// </summary>
    public SupervisorCall(CallContext context, string supervisor, string agent, Call target, SupervisorMode mode,
        TimeSpan ringTimeout)
        : base(context, SipIds.NewCallId(), "supervisor")
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ringTimeout, TimeSpan.Zero);
        SupervisorNumber = supervisor;
        Target = target;
        Mode = mode;
        _ringTimeout = ringTimeout;
        CallerNumber = supervisor;
        DialedNumber = SupervisionCodes.CodeOf(mode) + agent;
        RequestedAgent = agent;
    }

    /// <summary>True when the server called the supervisor (HTTP API) rather than the supervisor dialing a code.</summary>
    public bool IsOriginated => _leg is null;

    /// <summary>The agent named in the request (originated calls), or null.</summary>
    public string? RequestedAgent { get; }

    /// <summary>The From shown on the supervisor's phone: <c>"Supervise 1001" &lt;sip:*811001@invalid&gt;</c>
    /// (the host is replaced per contact by the address the phone sees).</summary>
    public static NameAddress Identity(SupervisorMode mode, string agent)
    {
        var identity = NameAddress.Parse($"<sip:{SupervisionCodes.CodeOf(mode)}{agent}@invalid>");
        identity.DisplayName = $"Supervise {agent}";
        return identity;
    }

    private async ValueTask StartOriginatedAsync()
    {
        var parties = Target.GetSupervisionTarget();
        if (parties is null || (RequestedAgent is not null && parties.Agent != RequestedAgent))
        {
            await FailAsync(480, "agent not in a call");
            return;
        }
        if (!Target.TryAttachSupervisor(this))
        {
            await FailAsync(486, "call already supervised");
            return;
        }
        var bindings = Context.Contacts.Resolve(SupervisorNumber);
        if (bindings.Count == 0)
        {
            await FailAsync(480, "supervisor's phone is not registered");
            return;
        }
        try
        {
            _media = Context.Media.CreateSession(Id, sameLoopAs: parties.CallerMedia);
        }
        catch (MediaPortsExhaustedException)
        {
            await FailAsync(503, "no media ports");
            return;
        }
        var media = _media;
        _parties = parties; // the call we ring for; checked again on answer
        ContactForker.Fork(this, bindings, SupervisorNumber, Identity(Mode, parties.Agent), media, maxForwards: 70,
            (fork, index) =>
            {
                _forks.Add(fork);
                if (index == 0)
                {
                    WireMedia(fork, media);
                }
            },
            (fork, response) => Executor.Post(() => OnResponseAsync(fork, response)));
        if (_forks.Count == 0)
        {
            await FailAsync(480, "supervisor has no usable contact");
            return;
        }
        _ringTimer = StartTimer(_ringTimeout, () => FailAsync(408, "supervisor did not answer (ring timeout)"));
        WatchTarget();
        Logger.LogInformation("Call {CallId}: calling supervisor {Supervisor} on {Forks} contact(s) to {Mode} agent {Agent}",
            Id, SupervisorNumber, _forks.Count, Mode, parties.Agent);
    }

    public override async ValueTask OnResponseAsync(OutboundLeg fork, SipResponse response)
    {
        var status = response.StatusCode;
        if (IsEnded || (_winner is not null && fork != _winner) || fork.Failed)
        {
            if (status is >= 200 and < 300)
            {
                await fork.AcceptAndHangUpAsync(response);
            }
            return;
        }
        if (fork == _winner)
        {
            if (status is >= 200 and < 300)
            {
                await fork.SendAckAsync(response); // 2xx retransmission
            }
            return;
        }
        if (status < 200)
        {
            return;
        }
        if (status >= 300)
        {
            fork.MarkFailed(status);
            if (_forks.All(f => f.Failed))
            {
                await FailAsync(status is 486 or 600 or 603 ? 486 : status == 408 ? 408 : 480,
                    $"supervisor's phone answered {status}");
            }
            return;
        }

        _winner = fork;
        _ringTimer?.Cancel();
        var media = _media!;
        await AcceptWinningForkAsync(fork, response, _forks, media);
        var negotiated = Context.Negotiator.ProcessAnswer(fork.Sdp, response.Body, fork.Destination);
        if (!negotiated.Success)
        {
            await FailAsync(488, $"supervisor's answer unusable: {negotiated.Failure}");
            return;
        }
        negotiated.ApplyTo(media);
        var parties = Target.GetSupervisionTarget();
        if (parties is null || !ReferenceEquals(parties.CallerMedia, _parties!.CallerMedia) ||
            !ReferenceEquals(parties.AgentMedia, _parties.AgentMedia))
        {
            await FailAsync(480, "agent's call ended or changed while the supervisor's phone rang");
            return;
        }
        Join(parties, media);
        Outcome = CallOutcome.Answered;
        Logger.LogInformation("Call {CallId}: supervisor {Supervisor} answered at {Contact}", Id, SupervisorNumber,
            fork.Destination);
        OnJoined();
    }

    /// <summary>Originated call not joined: note why, give the supervised call back, hang up (CANCEL/BYE).</summary>
    private async ValueTask FailAsync(int status, string why)
    {
        if (IsEnded || _joined)
        {
            return;
        }
        _ringTimer?.Cancel();
        SetFailure(status, why);
        Logger.LogInformation("Call {CallId}: supervision by {Supervisor} failed: {Why}", Id, SupervisorNumber, why);
        Leave(why);
        if (_forks.Count == 0)
        {
            _media?.Dispose();
        }
        await HangupAsync(why);
    }
}
