using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Reaches people for an <see cref="IDialingCall"/> (an <see cref="ApplicationCall"/>'s caller, or a
/// <see cref="CallbackCall"/>): rings an agent's registered contacts (forked, RFC 3261 §16.6, all forks sharing one RTP
/// session anchored on the call's media loop), takes the first 2xx (ACK, CANCEL the other forks), turns failures into a
/// <see cref="RingOutcome"/>, and cancels or releases legs that will not be bridged. The <see cref="TrunkDialer"/>
/// reuses it for one external leg. Runs on the call's executor.
/// </summary>
internal sealed class AgentDialer(IDialingCall dialing)
{
    private readonly List<AgentLeg> _legs = [];

    private Call call => dialing.Call;
    private CallContext Context => call.Context;
    private ILogger Logger => dialing.CallLogger;

    /// <summary>Every agent leg this call opened (ringing, answered, bridged or finished).</summary>
    public IReadOnlyList<AgentLeg> Legs => _legs;

    /// <summary>Max-Forwards for our INVITEs towards agents and trunks (the caller's, less one, within 1..70).</summary>
    public int OutboundMaxForwards => dialing.MaxForwards;

    /// <summary>The agent leg <paramref name="fork"/> belongs to, or null.</summary>
    public AgentLeg? LegOf(CallLeg fork) => _legs.FirstOrDefault(a => a.Forks.Contains(fork));

    /// <summary>Rings every registered contact of <paramref name="leg"/>'s agent.</summary>
    public void Ring(AgentLeg leg) => Ring(leg, Context.Contacts.Resolve(leg.Agent));

    /// <summary>Rings <paramref name="bindings"/> of <paramref name="leg"/>'s agent (one contact: a re-attach).</summary>
    public void Ring(AgentLeg leg, IReadOnlyList<Sip.Registrar.Binding> bindings)
    {
        if (bindings.Count == 0)
        {
            Logger.LogInformation("Call {CallId}: agent {Agent} is not registered", call.Id, leg.Agent);
            leg.IsFinished = true;
            leg.TryComplete(RingOutcome.Rejected);
            return;
        }
        if (!TryOpen(leg, $"{call.Id}/{leg.Agent}"))
        {
            return;
        }
        var media = leg.Media!;
        var forks = ContactForker.Fork(call, bindings, leg.Agent, dialing.CallerIdentity, media, OutboundMaxForwards,
            (fork, index) =>
            {
                leg.AddFork(fork);
                if (index == 0)
                {
                    call.WireMedia(fork, media);
                }
                else
                {
                    fork.Media = media;
                }
            },
            (fork, response) => call.Executor.Post(() => OnResponseAsync(fork, response)),
            leg.Headers);
        if (forks == 0)
        {
            leg.IsFinished = true;
            leg.ReleaseMedia();
            leg.TryComplete(RingOutcome.Rejected);
            return;
        }
        Logger.LogInformation("Call {CallId}: ringing agent {Agent} on {Forks} contact(s)", call.Id, leg.Agent, forks);
    }

    /// <summary>
    /// Opens <paramref name="leg"/>'s media session (<paramref name="sessionName"/>) on the call's media loop (the
    /// <see cref="IDialingCall.AnchorMedia"/>'s, any loop when there is none yet) and adds the leg to the call; false,
    /// with the leg rejected, when the call has ended or no RTP port is free.
    /// </summary>
    public bool TryOpen(AgentLeg leg, string sessionName)
    {
        if (call.IsEnded)
        {
            leg.IsFinished = true;
            leg.TryComplete(RingOutcome.Rejected);
            return false;
        }
        try
        {
            leg.Media = dialing.AnchorMedia is { } anchor
                ? Context.Media.CreateSession(sessionName, sameLoopAs: anchor)
                : Context.Media.CreateSession(sessionName);
        }
        catch (MediaPortsExhaustedException)
        {
            Logger.LogError("Call {CallId}: no free RTP port for the leg to {Target}", call.Id, leg.Agent);
            leg.IsFinished = true;
            leg.TryComplete(RingOutcome.Rejected);
            return false;
        }
        _legs.Add(leg);
        return true;
    }

    /// <summary>
    /// Waits at most <paramref name="ringTimeout"/> for <paramref name="leg"/>'s answer (then CANCELs it, after
    /// <paramref name="onTimeout"/>) and bridges the caller to it when answered. True when connected. Any thread.
    /// </summary>
    public async Task<bool> BridgeWhenAnsweredAsync(AgentLeg leg, TimeSpan ringTimeout, Action? onTimeout = null)
    {
        using var timeout = new CancellationTokenSource();
        var ring = Task.Delay(ringTimeout, Context.Time, timeout.Token);
        var first = await Task.WhenAny(leg.Outcome, ring).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        if (first != leg.Outcome)
        {
            onTimeout?.Invoke();
            dialing.CancelRing(leg);
            return false;
        }
        if (await leg.Outcome.ConfigureAwait(false) != RingOutcome.Answered)
        {
            return false;
        }
        dialing.Bridge(leg);
        return true;
    }

    /// <summary>A response to one of the forks' INVITEs (also stray 2xx retransmissions).</summary>
    public async ValueTask OnResponseAsync(OutboundLeg fork, SipResponse response)
    {
        var leg = LegOf(fork);
        var status = response.StatusCode;
        // A fork that already failed (a 2xx after its own 487 or 486) is never taken: ACK and BYE.
        if (leg is null || call.IsEnded || leg.IsFinished || fork.Failed || (leg.Winner is not null && leg.Winner != fork))
        {
            if (status is >= 200 and < 300)
            {
                if (leg?.Winner == fork && !fork.IsTerminated)
                {
                    await fork.SendAckAsync(response);
                }
                else
                {
                    await fork.AcceptAndHangUpAsync(response);
                }
            }
            return;
        }
        if (status < 200)
        {
            return;
        }
        if (status < 300)
        {
            await OnAnsweredAsync(leg, fork, response);
            return;
        }
        fork.MarkFailed(status);
        if (leg.Winner is null && leg.Forks.All(f => f.Failed))
        {
            leg.IsFinished = true;
            leg.ReleaseMedia();
            var outcome = status switch
            {
                486 or 600 => RingOutcome.Busy,
                408 or 480 or 487 => RingOutcome.NoAnswer,
                _ => RingOutcome.Rejected,
            };
            Logger.LogInformation("Call {CallId}: agent {Agent} not reached ({Status})", call.Id, leg.Agent, status);
            leg.TryComplete(outcome);
        }
    }

    private async ValueTask OnAnsweredAsync(AgentLeg leg, OutboundLeg fork, SipResponse response)
    {
        if (leg.Winner == fork)
        {
            await fork.SendAckAsync(response); // 2xx retransmission
            return;
        }
        leg.Winner = fork;
        leg.AnsweredAt = Context.Time.GetUtcNow();
        await call.AcceptWinningForkAsync(fork, response, leg.Forks, sharedMedia: null);
        var negotiated = Context.Negotiator.ProcessAnswer(fork.Sdp, response.Body, fork.Destination);
        if (!negotiated.Success || leg.Media is null)
        {
            Logger.LogWarning("Call {CallId}: agent {Agent}'s answer unusable: {Reason}", call.Id, leg.Agent, negotiated.Failure);
            Finish(leg, "unusable answer");
            return;
        }
        negotiated.ApplyTo(leg.Media);
        leg.Media.SetSource(SilenceSource.Instance);
        Logger.LogInformation("Call {CallId}: agent {Agent} answered at {Contact}", call.Id, leg.Agent, fork.Destination);
        leg.TryComplete(RingOutcome.Answered);
    }

    /// <summary>CANCELs the ringing forks of <paramref name="leg"/> (BYE to an answered one); not for a bridged leg.</summary>
    public void Finish(AgentLeg leg, string why)
    {
        if (leg.IsFinished || leg.IsBridged)
        {
            return;
        }
        leg.IsFinished = true;
        foreach (var fork in leg.Forks)
        {
            if (fork.Answered)
            {
                fork.SendBye();
            }
            else
            {
                fork.Cancel();
                fork.MarkTerminated();
            }
        }
        leg.ReleaseMedia();
        leg.TryComplete(RingOutcome.Rejected);
        Logger.LogInformation("Call {CallId}: agent {Agent} leg {Why}", call.Id, leg.Agent, why);
    }

    /// <summary>The call is ending: every leg's outcome completes (rejected) and is marked finished.</summary>
    public void RejectAll()
    {
        foreach (var leg in _legs)
        {
            leg.IsFinished = true;
            leg.TryComplete(RingOutcome.Rejected);
        }
    }

    /// <summary>The call has ended: outcomes complete and media is released.</summary>
    public void ReleaseAll()
    {
        foreach (var leg in _legs.ToList())
        {
            leg.TryComplete(RingOutcome.Rejected);
            leg.ReleaseMedia();
        }
    }
}
