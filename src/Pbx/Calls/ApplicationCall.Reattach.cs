using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

// A browser agent whose page reloads mid-call: the customer is parked and the agent re-attached (AgentReattach).
public sealed partial class ApplicationCall
{
    private AgentReattach? _reattach;

    /// <summary>
    /// Raised on the call's executor when the bridged agent's phone lost its transport without BYE and the caller is
    /// parked waiting for the agent to come back (a queue starts its hold music).
    /// </summary>
    internal event Action<ApplicationCall>? AgentParked;

    /// <summary>
    /// Raised on the call's executor when a parked call's agent did not come back within the grace
    /// (<see cref="Configuration.RtpOptions.WebRtcReattachGraceSeconds"/>): a queue takes the caller back at its head.
    /// With no handler the call ends.
    /// </summary>
    internal event Action<ApplicationCall, string>? AgentLost;

    /// <summary>The agent the parked caller waits for (a browser page that reloaded mid-call), or null.</summary>
    public string? ParkedFor => _reattach?.WaitingFor;

    private AgentReattach Reattach => _reattach ??= new AgentReattach(this);

    protected internal override ValueTask OnTransportLostAsync(SipEndPoint peer)
    {
        Reattach.OnTransportLost(peer);
        return ValueTask.CompletedTask;
    }

    /// <summary>A browser agent's WebRTC leg closing (DTLS close_notify as its page unloads, or consent lost) parks the
    /// caller like its WebSocket closing does. The media of an agent leg that is not bridged (still ringing, or answered
    /// and not bridged yet) ends that agent leg only. Anything else (the customer's own media) ends the call. Events of a
    /// session already released (the page's WebSocket closed first and parked the caller; its DTLS close_notify arrives
    /// a few ms later) never get here: <see cref="Call.WireMedia"/> drops them.</summary>
    protected internal override ValueTask OnMediaTransportFailedAsync(CallLeg leg, string reason)
    {
        // The forks of one agent share one media session wired to the first fork: the winner's transport is the one lost.
        AgentLeg? owner = Dialer.LegOf(leg);
        if (BridgedAgent is { Winner.Destination: var destination } agent && owner == agent
            && destination.Protocol.IsWebSocket() && Reattach.OnTransportLost(destination))
        {
            return ValueTask.CompletedTask;
        }
        if (leg != _caller && (owner is null || owner != BridgedAgent))
        {
            Logger.LogInformation("Call {CallId}: media of an agent leg that is not bridged ended ({Reason}); the caller stays", Id, reason);
            if (owner is not null)
            {
                Dialer.Finish(owner, "media transport failed: " + reason);
            }
            return ValueTask.CompletedTask;
        }
        return base.OnMediaTransportFailedAsync(leg, reason);
    }

    protected internal override ValueTask OnContactRegisteredAsync(Binding binding)
    {
        _reattach?.OnContactRegistered(binding);
        return ValueTask.CompletedTask;
    }

    /// <summary>The caller waits alone for the agent to come back: silence now, hold audio from whoever holds the call.</summary>
    internal void ParkCaller()
    {
        _audio.HandOver(SilenceSource.Instance);
        try
        {
            AgentParked?.Invoke(this);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Logger.LogError(e, "Call {CallId}: agent-parked handler failed", Id);
        }
    }

    /// <summary>The parked caller's agent did not come back: the holder of the call takes the caller back, or the call ends.</summary>
    internal async ValueTask OnAgentLostAsync(string agent)
    {
        if (AgentLost is not { } handler)
        {
            await EndAllAsync("agent lost (did not re-attach)");
            return;
        }
        try
        {
            handler(this, agent);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Logger.LogError(e, "Call {CallId}: agent-lost handler failed", Id);
            await EndAllAsync("agent lost (did not re-attach)");
        }
    }
}
