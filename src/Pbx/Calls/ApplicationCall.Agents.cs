using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Calls;

// Reaching people: ring an agent's phones, cancel, release, bridge the caller to the one who answered.
public sealed partial class ApplicationCall
{
    private AgentLeg? _bridged;

    /// <summary>The agent leg the caller is talking to, once bridged.</summary>
    public AgentLeg? BridgedAgent => _bridged;

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
        Executor.Post(() => StartRing(leg));
        return leg;
    }

    /// <summary>CANCELs a ringing agent leg (BYE if it answered but is not bridged). Its outcome becomes Rejected.</summary>
    public void CancelRing(AgentLeg leg) => Executor.Post(() => FinishLeg(leg, "cancelled"));

    /// <summary>BYE to an answered agent leg that will not be bridged (its 200 crossed our CANCEL).</summary>
    public void Release(AgentLeg leg) => Executor.Post(() => FinishLeg(leg, "released"));

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
        StopPlay(resumeBackground: false);
        _background = SilenceSource.Instance;
        _bridged = leg;
        leg.IsBridged = true;
        MarkConnected();
        var caller = _caller.Media!;
        caller.SetSource(new BridgeSource(leg.Media));
        leg.Media.SetSource(new BridgeSource(caller));
        Logger.LogInformation("Call {CallId}: caller {Caller} bridged to agent {Agent}", Id, Caller, leg.Agent);
    });

    /// <summary>
    /// Rings <paramref name="extension"/> for at most <paramref name="ringTimeout"/> and bridges the caller on answer.
    /// True when connected.
    /// </summary>
    public Task<bool> ConnectAsync(string extension, IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan ringTimeout) =>
        BridgeWhenAnsweredAsync(RingAgent(extension, headers), ringTimeout);

    /// <summary>
    /// Waits at most <paramref name="ringTimeout"/> for <paramref name="leg"/>'s answer (then CANCELs it, after
    /// <paramref name="onTimeout"/>) and bridges the caller to it when answered. True when connected.
    /// </summary>
    private async Task<bool> BridgeWhenAnsweredAsync(AgentLeg leg, TimeSpan ringTimeout, Action? onTimeout = null)
    {
        var first = await Task.WhenAny(leg.Outcome, Task.Delay(ringTimeout)).ConfigureAwait(false);
        if (first != leg.Outcome)
        {
            onTimeout?.Invoke();
            CancelRing(leg);
            return false;
        }
        if (await leg.Outcome.ConfigureAwait(false) != RingOutcome.Answered)
        {
            return false;
        }
        Bridge(leg);
        return true;
    }

    /// <summary>
    /// Opens <paramref name="leg"/>'s media session (<paramref name="sessionName"/>) on the caller's media loop and adds
    /// the leg to the call; false, with the leg rejected, when the call has ended or no RTP port is free.
    /// </summary>
    private bool TryOpenLeg(AgentLeg leg, string sessionName)
    {
        if (IsEnded || _caller.Media is null)
        {
            leg.IsFinished = true;
            leg.TryComplete(RingOutcome.Rejected);
            return false;
        }
        try
        {
            leg.Media = Context.Media.CreateSession(sessionName, sameLoopAs: _caller.Media);
        }
        catch (MediaPortsExhaustedException)
        {
            Logger.LogError("Call {CallId}: no free RTP port for the leg to {Target}", Id, leg.Agent);
            leg.IsFinished = true;
            leg.TryComplete(RingOutcome.Rejected);
            return false;
        }
        _agentLegs.Add(leg);
        return true;
    }

    /// <summary>Max-Forwards for our INVITEs towards agents and trunks: the caller's, less one, within 1..70.</summary>
    private int OutboundMaxForwards => Math.Max(Math.Min((_caller.Invite.MaxForwards ?? 70) - 1, 70), 1);

    private void StartRing(AgentLeg leg)
    {
        var bindings = Context.Locations.GetBindings(leg.Agent);
        if (bindings.Count == 0)
        {
            Logger.LogInformation("Call {CallId}: agent {Agent} is not registered", Id, leg.Agent);
            leg.IsFinished = true;
            leg.TryComplete(RingOutcome.Rejected);
            return;
        }
        if (!TryOpenLeg(leg, $"{Id}/{leg.Agent}"))
        {
            return;
        }
        var media = leg.Media!;
        var forks = ContactForker.Fork(this, bindings, leg.Agent, CallerIdentity, media, OutboundMaxForwards,
            (fork, index) =>
            {
                leg.AddFork(fork);
                if (index == 0)
                {
                    WireMedia(fork, media);
                }
                else
                {
                    fork.Media = media;
                }
            },
            (fork, response) => Executor.Post(() => OnResponseAsync(fork, response)),
            leg.Headers);
        if (forks == 0)
        {
            leg.IsFinished = true;
            leg.ReleaseMedia();
            leg.TryComplete(RingOutcome.Rejected);
            return;
        }
        Logger.LogInformation("Call {CallId}: ringing agent {Agent} on {Forks} contact(s)", Id, leg.Agent, forks);
    }

    public override async ValueTask OnResponseAsync(OutboundLeg fork, SipResponse response)
    {
        var leg = _agentLegs.FirstOrDefault(a => a.Forks.Contains(fork));
        var status = response.StatusCode;
        if (leg is null || IsEnded || leg.IsFinished || (leg.Winner is not null && leg.Winner != fork))
        {
            if (status is >= 200 and < 300)
            {
                if (leg?.Winner == fork && !fork.IsTerminated)
                {
                    await fork.SendAckAsync(response);
                }
                else
                {
                    await fork.AcceptAsync(response);
                    fork.SendBye();
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
            if (leg.Winner == fork)
            {
                await fork.SendAckAsync(response); // 2xx retransmission
                return;
            }
            leg.Winner = fork;
            await AcceptWinningForkAsync(fork, response, leg.Forks, sharedMedia: null);
            var negotiated = Context.Negotiator.ProcessAnswer(fork.Sdp.LastLocal!, response.Body, fork.Destination);
            if (!negotiated.Success || leg.Media is null)
            {
                Logger.LogWarning("Call {CallId}: agent {Agent}'s answer unusable: {Reason}", Id, leg.Agent, negotiated.Failure);
                FinishLeg(leg, "unusable answer");
                return;
            }
            leg.Media.Configure(negotiated.Parameters!);
            leg.Media.SetSource(SilenceSource.Instance);
            Logger.LogInformation("Call {CallId}: agent {Agent} answered at {Contact}", Id, leg.Agent, fork.Destination);
            leg.TryComplete(RingOutcome.Answered);
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
            Logger.LogInformation("Call {CallId}: agent {Agent} not reached ({Status})", Id, leg.Agent, status);
            leg.TryComplete(outcome);
        }
    }

    private void FinishLeg(AgentLeg leg, string why)
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
        Logger.LogInformation("Call {CallId}: agent {Agent} leg {Why}", Id, leg.Agent, why);
    }
}
