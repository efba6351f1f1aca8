using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Keeps an <see cref="ApplicationCall"/>'s customer when the bridged agent's phone loses its transport without a BYE
/// (a browser page reloaded: its SIP WebSocket closed, RFC 7118 §5, and the WebRTC leg with it). The customer is parked
/// (the agent's leg is dropped without BYE, the customer hears hold audio) for <see cref="RtpOptions.WebRtcReattachGraceSeconds"/>.
/// When the same agent registers a new contact within the grace, that contact is INVITEd with
/// <see cref="Header"/> (a new WebRTC leg: fresh ICE and DTLS) and bridged to the customer on answer. Past the grace
/// the call reports the agent lost (<see cref="ApplicationCall.AgentLost"/>: a queue puts the customer back at its head);
/// a call nobody takes back ends. Runs on the call's executor only.
/// </summary>
internal sealed class AgentReattach(ApplicationCall call)
{
    /// <summary>Header on the re-INVITE to the agent's new contact (value: the interaction id); the browser phone answers
    /// it on its own.</summary>
    public const string Header = "X-Telephony-Reattach";

    private Parked? _parked;

    /// <summary>The agent whose return the call waits for, or null.</summary>
    public string? WaitingFor => _parked?.Agent;

    private ILogger Logger => call.CallLogger;

    /// <summary>
    /// The transport to <paramref name="peer"/> is gone. When the bridged agent's leg went over it, the customer is
    /// parked and true is returned.
    /// </summary>
    public bool OnTransportLost(SipEndPoint peer)
    {
        if (_parked is not null || call.IsEnded || call.BridgedAgent is not { Winner: { } winner } agent
            || !winner.Destination.EndPoint.Equals(peer.EndPoint) || winner.Destination.Protocol != peer.Protocol)
        {
            return false;
        }
        var grace = TimeSpan.FromSeconds(Math.Max(0, call.Context.Options.Rtp.WebRtcReattachGraceSeconds));
        call.Unbridge();
        agent.IsFinished = true;
        winner.MarkTerminated(); // no BYE: there is no connection to send it over, and the page that had the dialog is gone
        agent.ReleaseMedia();
        _parked = new Parked(agent.Agent, agent.Headers);
        call.ParkCaller();
        Logger.LogInformation("Call {CallId}: agent {Agent}'s phone at {Peer} is gone without BYE; caller {Caller} parked for {Grace} s",
            call.Id, agent.Agent, peer, call.Caller, grace.TotalSeconds);
        _parked.Timer = call.StartTimer(grace, ExpireAsync);
        return true;
    }

    /// <summary><paramref name="binding"/> was just registered: the parked agent's new contact is rung back into the call.</summary>
    public void OnContactRegistered(Binding binding)
    {
        if (_parked is not { Ringing: null } parked || call.IsEnded || !string.Equals(binding.Aor, parked.Agent, StringComparison.Ordinal))
        {
            return;
        }
        List<KeyValuePair<string, string>> headers = [.. parked.Headers.Where(h => h.Key != Header), new(Header, call.InteractionId)];
        var leg = new AgentLeg(parked.Agent, headers);
        parked.Ringing = leg;
        Logger.LogInformation("Call {CallId}: agent {Agent} registered again at {Contact}: re-attaching", call.Id, parked.Agent, binding.ContactUri);
        call.Dialer.Ring(leg, [binding]);
        _ = leg.Outcome.ContinueWith(t => call.Executor.Post(() => OnRingEnded(leg, t.Result)), TaskScheduler.Default);
    }

    /// <summary>The call ended (the customer hung up during the grace, or anything else): nothing more to wait for.</summary>
    public void Cancel()
    {
        if (Interlocked.Exchange(ref _parked, null) is { } parked)
        {
            parked.Timer?.Cancel();
            parked.Timer?.Dispose();
        }
    }

    private void OnRingEnded(AgentLeg leg, RingOutcome outcome)
    {
        if (_parked is not { } parked || parked.Ringing != leg || call.IsEnded)
        {
            if (outcome == RingOutcome.Answered && !call.IsEnded)
            {
                call.Dialer.Finish(leg, "re-attach answered too late");
            }
            return;
        }
        parked.Ringing = null;
        if (outcome != RingOutcome.Answered)
        {
            Logger.LogInformation("Call {CallId}: re-attach of agent {Agent} failed ({Outcome}); waiting until the grace ends", call.Id, parked.Agent, outcome);
            return;
        }
        Cancel();
        call.Bridge(leg);
        Logger.LogInformation("Call {CallId}: agent {Agent} re-attached to caller {Caller}", call.Id, leg.Agent, call.Caller);
    }

    private ValueTask ExpireAsync()
    {
        if (_parked is not { } parked || call.IsEnded)
        {
            return ValueTask.CompletedTask;
        }
        Cancel();
        if (parked.Ringing is { } ringing)
        {
            call.Dialer.Finish(ringing, "re-attach grace over");
        }
        Logger.LogInformation("Call {CallId}: agent {Agent} did not come back within the grace", call.Id, parked.Agent);
        return call.OnAgentLostAsync(parked.Agent);
    }

    private sealed class Parked(string agent, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        public string Agent { get; } = agent;
        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;
        public CancellationTokenSource? Timer { get; set; }
        public AgentLeg? Ringing { get; set; }
    }
}
