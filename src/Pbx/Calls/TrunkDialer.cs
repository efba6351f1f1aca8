using Microsoft.Extensions.Logging;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Calls out through a trunk for an <see cref="IDialingCall"/> (B2BUA, RFC 3261 §8.1 UAC towards the carrier): the
/// external party is one more <see cref="AgentLeg"/> with a single fork, so cancel, release, bridge, BYE relay and
/// teardown are the <see cref="AgentDialer"/>'s; this adds the trunk addressing, digest answers to 401/407 (RFC 3261
/// §22.2), ringback and early media (18x with SDP) for the party waiting (<see cref="IPartyAudio"/>: an application
/// call's caller, a callback's agent). One trunk call at a time per call.
/// </summary>
internal sealed class TrunkDialer(IDialingCall dialing, AgentDialer dialer, IPartyAudio audio)
{
    /// <summary>Digest retries per INVITE: a second challenge is answered only when it says stale=true (RFC 7616 §3.3).</summary>
    private const int MaxAuthAttempts = 2;

    private TrunkDial? _dial;

    private Call call => dialing.Call;
    private CallContext Context => call.Context;
    private ILogger Logger => dialing.CallLogger;

    /// <summary>
    /// Calls <paramref name="number"/> through <paramref name="trunk"/>'s outbound side; see
    /// <see cref="ApplicationCall.ConnectTrunkAsync(TrunkOptions, string, IReadOnlyList{KeyValuePair{string, string}}, TimeSpan)"/>.
    /// Any thread.
    /// </summary>
    public async Task<bool> ConnectAsync(TrunkOptions trunk, string number, IReadOnlyList<KeyValuePair<string, string>> headers,
        TimeSpan ringTimeout) =>
        await DialAsync(trunk, number, headers, ringTimeout).ConfigureAwait(false) == CallbackAttemptResult.Answered;

    /// <summary>
    /// <see cref="ConnectAsync"/> telling how it ended: <see cref="CallbackAttemptResult.Answered"/> (bridged),
    /// <see cref="CallbackAttemptResult.Busy"/> (486/600), <see cref="CallbackAttemptResult.NoAnswer"/> (408/480/487, or
    /// <paramref name="ringTimeout"/> passed: CANCEL), otherwise <see cref="CallbackAttemptResult.Failed"/> (any other
    /// final error, no outbound side, host not found, the call ended).
    /// </summary>
    public async Task<CallbackAttemptResult> DialAsync(TrunkOptions trunk, string number,
        IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan ringTimeout)
    {
        if (trunk.Outbound is not { } outbound)
        {
            Logger.LogWarning("Call {CallId}: trunk {Trunk} has no outbound settings; cannot call {Number}", call.Id, trunk.Name, number);
            return CallbackAttemptResult.Failed;
        }
        var destination = await TrunkRequestBuilder.ResolveAsync(outbound).ConfigureAwait(false);
        if (destination is not { } target)
        {
            Logger.LogWarning("Call {CallId}: trunk {Trunk} host {Host} not found; cannot call {Number}", call.Id, trunk.Name,
                outbound.Host, number);
            return CallbackAttemptResult.Failed;
        }
        var leg = new AgentLeg($"{number}@{trunk.Name}", headers);
        if (call.IsEnded)
        {
            return CallbackAttemptResult.Failed;
        }
        call.Executor.Post(() => Start(leg, trunk, target, number));
        var timedOut = false;
        if (await dialer.BridgeWhenAnsweredAsync(leg, ringTimeout, () =>
            {
                timedOut = true;
                Logger.LogInformation("Call {CallId}: {Number} via trunk {Trunk} not answered within {Seconds:0} s", call.Id, number,
                    trunk.Name, ringTimeout.TotalSeconds);
            }).ConfigureAwait(false))
        {
            return CallbackAttemptResult.Answered;
        }
        call.Executor.Post(() => EndAudio(leg));
        if (timedOut)
        {
            return CallbackAttemptResult.NoAnswer;
        }
        return await leg.Outcome.ConfigureAwait(false) switch
        {
            RingOutcome.Busy => CallbackAttemptResult.Busy,
            RingOutcome.NoAnswer => CallbackAttemptResult.NoAnswer,
            _ => CallbackAttemptResult.Failed,
        };
    }

    private void Start(AgentLeg leg, TrunkOptions trunk, SipEndPoint destination, string number)
    {
        if (!dialer.TryOpen(leg, $"{call.Id}/trunk"))
        {
            return;
        }
        var media = leg.Media!;
        var fork = new OutboundLeg(call, Context.Stack, destination);
        leg.AddFork(fork);
        call.WireMedia(fork, media);
        Context.Registry.RegisterLeg(fork);
        var offer = Context.Negotiator.CreateOffer(media, fork.Sdp, destination);
        var (localHost, _) = Context.Stack.LocalFor(destination);
        var outbound = trunk.Outbound!;
        var addresses = TrunkRequestBuilder.Build(outbound, number, dialing.CallerIdentity, dialing.CallerNumber, localHost);
        _dial = new TrunkDial(leg, fork, trunk);
        fork.SendInvite(addresses.RequestUri, addresses.From, addresses.To, offer, dialer.OutboundMaxForwards, OnResponse, leg.Headers);
        Logger.LogInformation("Call {CallId}: calling {Number} via trunk {Trunk} ({Destination}) as {From}, interaction {Interaction}",
            call.Id, addresses.Number, trunk.Name, destination, addresses.From.Uri.User, dialing.InteractionId);
    }

    private void OnResponse(OutboundLeg fork, SipResponse response) =>
        call.Executor.Post(() => OnResponseAsync(fork, response));

    /// <summary>
    /// Challenges and provisional responses are handled here; 2xx and failures go to the agent machinery
    /// (<see cref="AgentDialer.OnResponseAsync"/>: ACK, answer, cancel, outcome), which also gets stray 2xx retransmissions.
    /// </summary>
    private async ValueTask OnResponseAsync(OutboundLeg fork, SipResponse response)
    {
        var dial = _dial;
        if (dial is null || dial.Fork != fork || response.CSeq.Number != fork.Invite?.CSeq.Number)
        {
            if (response.StatusCode is >= 200 and < 300)
            {
                await dialer.OnResponseAsync(fork, response); // late 2xx: ACK then BYE, as for any stale fork
            }
            return; // a challenge or failure of a transaction we already retried
        }
        var status = response.StatusCode;
        if (status is 401 or 407 && !call.IsEnded && !dial.Leg.IsFinished && TryAnswerChallenge(dial, response))
        {
            return;
        }
        if (status < 200)
        {
            if (status > 100 && !call.IsEnded && !dial.Leg.IsFinished)
            {
                OnProgress(dial, response);
            }
            return;
        }
        if (status < 300 && response.Body.Length == 0 && dial.EarlyAnswer is { } early)
        {
            response.Body = early; // the answer came in the 18x (RFC 3261 §13.2.1): the 2xx may omit it
        }
        if (status >= 300)
        {
            Logger.LogInformation("Call {CallId}: trunk {Trunk} answered {Status} {Reason} for {Target}", call.Id, dial.Trunk.Name,
                status, response.ReasonPhrase, dial.Leg.Agent);
        }
        await dialer.OnResponseAsync(fork, response);
    }

    private bool TryAnswerChallenge(TrunkDial dial, SipResponse response)
    {
        var outbound = dial.Trunk.Outbound!;
        var proxy = response.StatusCode == 407;
        var challenges = response.Headers.GetAll(proxy ? HeaderName.ProxyAuthenticate : HeaderName.WwwAuthenticate);
        if (!outbound.HasCredentials)
        {
            Logger.LogWarning("Call {CallId}: trunk {Trunk} asks for credentials ({Status}) but none are configured", call.Id,
                dial.Trunk.Name, response.StatusCode);
            return false;
        }
        var stale = challenges.Any(c => DigestChallenge.TryParse(c, out var ch) && ch!.Stale);
        if (dial.AuthAttempts >= MaxAuthAttempts || (dial.AuthAttempts > 0 && !stale))
        {
            Logger.LogWarning("Call {CallId}: trunk {Trunk} refused our credentials ({Status})", call.Id, dial.Trunk.Name,
                response.StatusCode);
            return false;
        }
        var uri = dial.Fork.Invite!.RequestUri.ToString();
        var authorization = challenges
            .Select(c => DigestClient.CreateAuthorization(c, SipMethod.Invite, uri, outbound.Username, outbound.Password))
            .FirstOrDefault(a => a is not null);
        if (authorization is null)
        {
            Logger.LogWarning("Call {CallId}: trunk {Trunk} challenge ({Status}) has no digest we can answer", call.Id,
                dial.Trunk.Name, response.StatusCode);
            return false;
        }
        dial.AuthAttempts++;
        Logger.LogInformation("Call {CallId}: trunk {Trunk} challenged ({Status}); INVITE again as {User}", call.Id,
            dial.Trunk.Name, response.StatusCode, outbound.Username);
        dial.Fork.ResendInvite(proxy ? HeaderName.ProxyAuthorization : HeaderName.Authorization, authorization, OnResponse);
        return true;
    }

    /// <summary>18x: early media when it carries SDP (the caller hears the carrier), else ringback once.</summary>
    private void OnProgress(TrunkDial dial, SipResponse response)
    {
        var media = dial.Leg.Media;
        if (media is null || dialing.AnchorMedia is null || dialing.HasBridgedParty)
        {
            return;
        }
        if (response.Body.Length > 0 && dial.EarlyAnswer is null)
        {
            var negotiated = Context.Negotiator.ProcessAnswer(dial.Fork.Sdp, response.Body, dial.Fork.Destination);
            if (negotiated.Success)
            {
                dial.EarlyAnswer = response.Body;
                negotiated.ApplyTo(media);
                media.SetSource(SilenceSource.Instance);
                audio.HandOver(new BridgeSource(media));
                Logger.LogInformation("Call {CallId}: early media from trunk {Trunk} ({Status}, {Codec})", call.Id, dial.Trunk.Name,
                    response.StatusCode, negotiated.Parameters!.Codec);
                return;
            }
            Logger.LogWarning("Call {CallId}: trunk {Trunk}'s early SDP unusable: {Reason}", call.Id, dial.Trunk.Name,
                negotiated.Failure);
        }
        if (dial.EarlyAnswer is null && !dial.Ringback)
        {
            dial.Ringback = true;
            audio.SetBackground(new LoopSource(RingbackTone.Clip));
            Logger.LogInformation("Call {CallId}: trunk {Trunk} ringing ({Status}); ringback to the caller", call.Id,
                dial.Trunk.Name, response.StatusCode);
        }
    }

    /// <summary>The trunk leg failed or was cancelled: the caller goes back to silence (the IVR decides what comes next).</summary>
    private void EndAudio(AgentLeg leg)
    {
        if (_dial?.Leg != leg)
        {
            return;
        }
        _dial = null;
        if (call.IsEnded || dialing.HasBridgedParty)
        {
            return;
        }
        audio.SetBackground(SilenceSource.Instance);
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
