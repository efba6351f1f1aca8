using Microsoft.Extensions.Logging;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

// Calls out through a trunk (B2BUA, RFC 3261 §8.1 UAC towards the carrier): the external party is one more AgentLeg
// with a single fork, so cancel, release, bridge, BYE relay and teardown are the agent machinery's; this part adds the
// trunk addressing, digest answers to 401/407 (RFC 3261 §22.2), ringback and early media (18x with SDP).
public sealed partial class ApplicationCall
{
    /// <summary>Digest retries per INVITE: a second challenge is answered only when it says stale=true (RFC 7616 §3.3).</summary>
    private const int MaxAuthAttempts = 2;

    private TrunkDial? _trunkDial;

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
    public async Task<bool> ConnectTrunkAsync(TrunkOptions trunk, string number,
        IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan ringTimeout)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        ArgumentNullException.ThrowIfNull(number);
        if (trunk.Outbound is not { } outbound)
        {
            Logger.LogWarning("Call {CallId}: trunk {Trunk} has no outbound settings; cannot call {Number}", Id, trunk.Name, number);
            return false;
        }
        var destination = await TrunkRequestBuilder.ResolveAsync(outbound).ConfigureAwait(false);
        if (destination is not { } target)
        {
            Logger.LogWarning("Call {CallId}: trunk {Trunk} host {Host} not found; cannot call {Number}", Id, trunk.Name, outbound.Host, number);
            return false;
        }
        var leg = new AgentLeg($"{number}@{trunk.Name}", headers);
        if (IsEnded)
        {
            return false;
        }
        Executor.Post(() => StartTrunkDial(leg, trunk, target, number));
        if (await BridgeWhenAnsweredAsync(leg, ringTimeout, () => Logger.LogInformation(
                "Call {CallId}: {Number} via trunk {Trunk} not answered within {Seconds:0} s", Id, number, trunk.Name,
                ringTimeout.TotalSeconds)).ConfigureAwait(false))
        {
            return true;
        }
        Executor.Post(() => EndTrunkAudio(leg));
        return false;
    }

    private void StartTrunkDial(AgentLeg leg, TrunkOptions trunk, SipEndPoint destination, string number)
    {
        if (!TryOpenLeg(leg, $"{Id}/trunk"))
        {
            return;
        }
        var media = leg.Media!;
        var fork = new OutboundLeg(this, Context.Stack, destination);
        leg.AddFork(fork);
        WireMedia(fork, media);
        Context.Registry.RegisterLeg(fork);
        var offer = Context.Negotiator.CreateOffer(media, fork.Sdp, destination);
        var (localHost, _) = Context.Stack.LocalFor(destination);
        var outbound = trunk.Outbound!;
        var addresses = TrunkRequestBuilder.Build(outbound, number, CallerIdentity, Caller, localHost);
        _trunkDial = new TrunkDial(leg, fork, trunk);
        fork.SendInvite(addresses.RequestUri, addresses.From, addresses.To, offer, OutboundMaxForwards, OnTrunkResponse, leg.Headers);
        Logger.LogInformation("Call {CallId}: calling {Number} via trunk {Trunk} ({Destination}) as {From}, interaction {Interaction}",
            Id, addresses.Number, trunk.Name, destination, addresses.From.Uri.User, InteractionId);
    }

    private void OnTrunkResponse(OutboundLeg fork, SipResponse response) =>
        Executor.Post(() => OnTrunkResponseAsync(fork, response));

    /// <summary>
    /// Challenges and provisional responses are handled here; 2xx and failures go to the agent machinery
    /// (<see cref="OnResponseAsync"/>: ACK, answer, cancel, outcome), which also gets stray 2xx retransmissions.
    /// </summary>
    private async ValueTask OnTrunkResponseAsync(OutboundLeg fork, SipResponse response)
    {
        var dial = _trunkDial;
        if (dial is null || dial.Fork != fork || response.CSeq.Number != fork.Invite?.CSeq.Number)
        {
            if (response.StatusCode is >= 200 and < 300)
            {
                await OnResponseAsync(fork, response); // late 2xx: ACK then BYE, as for any stale fork
            }
            return; // a challenge or failure of a transaction we already retried
        }
        var status = response.StatusCode;
        if (status is 401 or 407 && !IsEnded && !dial.Leg.IsFinished && TryAnswerChallenge(dial, response))
        {
            return;
        }
        if (status < 200)
        {
            if (status > 100 && !IsEnded && !dial.Leg.IsFinished)
            {
                OnTrunkProgress(dial, response);
            }
            return;
        }
        if (status < 300 && response.Body.Length == 0 && dial.EarlyAnswer is { } early)
        {
            response.Body = early; // the answer came in the 18x (RFC 3261 §13.2.1): the 2xx may omit it
        }
        if (status >= 300)
        {
            Logger.LogInformation("Call {CallId}: trunk {Trunk} answered {Status} {Reason} for {Target}", Id, dial.Trunk.Name,
                status, response.ReasonPhrase, dial.Leg.Agent);
        }
        await OnResponseAsync(fork, response);
    }

    private bool TryAnswerChallenge(TrunkDial dial, SipResponse response)
    {
        var outbound = dial.Trunk.Outbound!;
        var proxy = response.StatusCode == 407;
        var challenges = response.Headers.GetAll(proxy ? HeaderName.ProxyAuthenticate : HeaderName.WwwAuthenticate);
        if (!outbound.HasCredentials)
        {
            Logger.LogWarning("Call {CallId}: trunk {Trunk} asks for credentials ({Status}) but none are configured", Id,
                dial.Trunk.Name, response.StatusCode);
            return false;
        }
        var stale = challenges.Any(c => DigestChallenge.TryParse(c, out var ch) && ch!.Stale);
        if (dial.AuthAttempts >= MaxAuthAttempts || (dial.AuthAttempts > 0 && !stale))
        {
            Logger.LogWarning("Call {CallId}: trunk {Trunk} refused our credentials ({Status})", Id, dial.Trunk.Name, response.StatusCode);
            return false;
        }
        var uri = dial.Fork.Invite!.RequestUri.ToString();
        var authorization = challenges
            .Select(c => DigestClient.CreateAuthorization(c, SipMethod.Invite, uri, outbound.Username, outbound.Password))
            .FirstOrDefault(a => a is not null);
        if (authorization is null)
        {
            Logger.LogWarning("Call {CallId}: trunk {Trunk} challenge ({Status}) has no digest we can answer", Id, dial.Trunk.Name,
                response.StatusCode);
            return false;
        }
        dial.AuthAttempts++;
        Logger.LogInformation("Call {CallId}: trunk {Trunk} challenged ({Status}); INVITE again as {User}", Id, dial.Trunk.Name,
            response.StatusCode, outbound.Username);
        dial.Fork.ResendInvite(proxy ? HeaderName.ProxyAuthorization : HeaderName.Authorization, authorization, OnTrunkResponse);
        return true;
    }

    /// <summary>18x: early media when it carries SDP (the caller hears the carrier), else ringback once.</summary>
    private void OnTrunkProgress(TrunkDial dial, SipResponse response)
    {
        var media = dial.Leg.Media;
        if (media is null || _caller.Media is not { } caller || _bridged is not null)
        {
            return;
        }
        if (response.Body.Length > 0 && dial.EarlyAnswer is null)
        {
            var negotiated = Context.Negotiator.ProcessAnswer(dial.Fork.Sdp.LastLocal!, response.Body, dial.Fork.Destination);
            if (negotiated.Success)
            {
                dial.EarlyAnswer = response.Body;
                media.Configure(negotiated.Parameters!);
                media.SetSource(SilenceSource.Instance);
                StopPlay(resumeBackground: false);
                _background = SilenceSource.Instance;
                caller.SetSource(new BridgeSource(media));
                Logger.LogInformation("Call {CallId}: early media from trunk {Trunk} ({Status}, {Codec})", Id, dial.Trunk.Name,
                    response.StatusCode, negotiated.Parameters!.Codec);
                return;
            }
            Logger.LogWarning("Call {CallId}: trunk {Trunk}'s early SDP unusable: {Reason}", Id, dial.Trunk.Name, negotiated.Failure);
        }
        if (dial.EarlyAnswer is null && !dial.Ringback)
        {
            dial.Ringback = true;
            _background = new LoopSource(RingbackTone.Clip);
            if (!IsPlaying)
            {
                caller.SetSource(_background);
            }
            Logger.LogInformation("Call {CallId}: trunk {Trunk} ringing ({Status}); ringback to the caller", Id, dial.Trunk.Name,
                response.StatusCode);
        }
    }

    /// <summary>The trunk leg failed or was cancelled: the caller goes back to silence (the IVR decides what comes next).</summary>
    private void EndTrunkAudio(AgentLeg leg)
    {
        if (_trunkDial?.Leg != leg)
        {
            return;
        }
        _trunkDial = null;
        if (IsEnded || _bridged == leg)
        {
            return;
        }
        _background = SilenceSource.Instance;
        if (!IsPlaying)
        {
            _caller.Media?.SetSource(_background);
        }
    }

    /// <summary>State of the one trunk call in progress.</summary>
    private sealed class TrunkDial(AgentLeg leg, OutboundLeg fork, TrunkOptions trunk)
    {
        public AgentLeg Leg { get; } = leg;
        public OutboundLeg Fork { get; } = fork;
        public TrunkOptions Trunk { get; } = trunk;
        public int AuthAttempts { get; set; }
        public byte[]? EarlyAnswer { get; set; }
        public bool Ringback { get; set; }
    }
}
