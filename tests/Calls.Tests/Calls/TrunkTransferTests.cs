using System.Security.Cryptography;
using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// The IVR's transfer node out through the sample trunk (local-trunk, outbound at 127.0.0.2:5060: the trunk peer plays
/// the carrier) in process: INVITE addressing and X-Telephony-* headers, 407 then a verified digest retry, 183 early
/// media heard by the caller, 200 without SDP bridged on the early answer, ringback, 503 and the ring timeout taking
/// the tree's failed path, CANCEL when the caller leaves, and BYE relayed either way.
/// </summary>
public sealed class TrunkTransferTests
{
    private const string External = "+4930123456";

    private const string Tree = """
        flows:
          trunk-test:
            numbers: ["08001234567"]
            language: en
            start: menu
            on_error: goodbye
            nodes:
              menu:
                type: menu
                prompt: ivr/welcome
                options:
                  "7": mark-external
                timeout: 15s
                retries: 0
                events: { timeout: goodbye, invalid: goodbye }
              mark-external:
                type: set
                priority: 30
                tags: [external]
                variables: { reason: external-support }
                next: dial-out
              dial-out:
                type: transfer
                to: "+4930123456"
                trunk: local-trunk
                failed: sorry
              sorry:
                type: hangup
                prompt: ivr/all-busy
              goodbye:
                type: hangup
        """;

    [Fact]
    public async Task Carrier_challenges_407_digest_retry_183_early_media_then_200_bridged_caller_bye_relayed()
    {
        await using var pbx = await StartAsync(o =>
        {
            o.Trunks[0].Outbound!.Username = "trunk-user";
            o.Trunks[0].Outbound!.Password = "trunk-secret";
        });
        var carrier = new DigestAuthenticator("carrier", RandomNumberGenerator.GetBytes(32), pbx.Time);
        var (caller, first) = await DialOutAsync(pbx);
        AssertAddressing(first.Invite);
        Assert.Equal(1u, first.Invite.CSeq.Number);
        Assert.Null(first.Invite.Headers.Get(HeaderName.ProxyAuthorization));
        first.Reject(407, r => r.Headers.Add(HeaderName.ProxyAuthenticate, carrier.CreateChallenge()));
        await caller.Peer.ExpectRequestAsync(SipMethod.Ack, first.Invite.CallId);

        var retry = await caller.Peer.ExpectCallAsync();
        AssertAddressing(retry.Invite);
        Assert.Equal((first.Invite.CallId, 2u), (retry.Invite.CallId, retry.Invite.CSeq.Number));
        var credentials = retry.Invite.Headers.Get(HeaderName.ProxyAuthorization);
        Assert.NotNull(credentials);
        Assert.True(carrier.Verify(SipMethod.Invite, credentials, u => u == "trunk-user" ? "trunk-secret" : null).IsOk,
            "the digest answers the challenge: " + credentials);
        Assert.Contains($"uri=\"{retry.Invite.RequestUri}\"", credentials, StringComparison.Ordinal);

        var far = pbx.RtpPeer();
        far.ConnectTo(retry.Invite.Body);
        far.Tone(600);
        retry.Ring(183, far.Answer());
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(caller.Media.ToneShare(600) > 0.7, "early media: " + caller.Media.Describe());

        retry.Answer(null); // the answer was in the 183 (RFC 3261 §13.2.1)
        await caller.Peer.ExpectRequestAsync(SipMethod.Ack, retry.Invite.CallId);
        var call = await pbx.ApplicationCallAsync(caller.CallId);
        await InProcessPbx.WaitUntilAsync(() => call.BridgedAgent is not null, "bridged to the carrier");
        Assert.Equal($"{External}@local-trunk", call.BridgedAgent!.Agent);
        far.Tone(1800);
        caller.Media.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(caller.Media.ToneShare(1800) > 0.7, "the caller hears the far end: " + caller.Media.Describe());
        Assert.True(far.ToneShare(1000) > 0.7, "the far end hears the caller: " + far.Describe());
        Assert.False(caller.Media.Heard(RingbackTone.Clip.Samples.Span), "no ringback over early media");

        await caller.Call.ByeAsync();
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, retry.Invite.CallId);
        Assert.Equal(CallOutcome.Answered, (await caller.EndedAsync()).Outcome);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Carrier_rings_caller_hears_ringback_then_200_with_sdp_far_end_hangs_up_caller_gets_bye()
    {
        await using var pbx = await StartAsync();
        var (caller, dial) = await DialOutAsync(pbx);
        dial.Ring();
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(caller.Media.Heard(RingbackTone.Clip.Samples.Span), "ringback while the carrier rings");

        var far = pbx.RtpPeer();
        far.ConnectTo(dial.Invite.Body);
        dial.Answer(far.Answer());
        await caller.Peer.ExpectRequestAsync(SipMethod.Ack, dial.Invite.CallId);
        far.Tone(1800);
        await pbx.TickUntilAsync(() => caller.Media.ToneShare(1800) > 0.7, TimeSpan.FromSeconds(2), "the caller hears the far end");

        Assert.Equal(200, (await dial.ByeAsync()).StatusCode);
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        var ended = await caller.EndedAsync();
        Assert.Equal((CallOutcome.Answered, HangupSide.Callee), (ended.Outcome, ended.Side));
        await pbx.NoCallsLeftAsync();
    }

    [Theory]
    [InlineData(503)]
    [InlineData(407)] // a challenge with no credentials configured
    public async Task Carrier_refuses_the_tree_takes_its_failed_path_all_busy_then_bye(int status)
    {
        await using var pbx = await StartAsync();
        var (caller, dial) = await DialOutAsync(pbx);
        dial.Reject(status, r => r.Headers.Add(HeaderName.ProxyAuthenticate, "Digest realm=\"carrier\", nonce=\"abc\", qop=\"auth\""));
        await caller.Peer.ExpectRequestAsync(SipMethod.Ack, dial.Invite.CallId);
        await ExpectAllBusyThenByeAsync(pbx, caller);
        Assert.Equal(CallOutcome.CompletedInIvr, (await caller.EndedAsync()).Outcome);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Carrier_challenges_twice_the_second_challenge_is_not_answered()
    {
        await using var pbx = await StartAsync(o => o.Trunks[0].Outbound!.Username = "trunk-user");
        var carrier = new DigestAuthenticator("carrier", RandomNumberGenerator.GetBytes(32), pbx.Time);
        var (caller, dial) = await DialOutAsync(pbx);
        dial.Reject(407, r => r.Headers.Add(HeaderName.ProxyAuthenticate, carrier.CreateChallenge()));
        var retry = await caller.Peer.ExpectCallAsync();
        retry.Reject(407, r => r.Headers.Add(HeaderName.ProxyAuthenticate, carrier.CreateChallenge()));
        await ExpectAllBusyThenByeAsync(pbx, caller);
        Assert.False(caller.Peer.Has(m => m is SipRequest { Method: SipMethod.Invite } r && r.To?.Tag is null),
            "no third INVITE without stale=true");
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Carrier_rings_past_the_ring_timeout_gets_cancel_and_the_caller_hears_all_busy()
    {
        await using var pbx = await StartAsync(o => o.Rtp.TimeoutSeconds = 0);
        var (caller, dial) = await DialOutAsync(pbx);
        dial.Ring();
        await pbx.TickAsync(TimeSpan.FromSeconds(0.5));
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(pbx.Options.Sip.RingTimeoutSeconds));
        await caller.Peer.ExpectRequestAsync(SipMethod.Cancel, dial.Invite.CallId);
        await ExpectAllBusyThenByeAsync(pbx, caller);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Caller_hangs_up_while_the_carrier_rings_carrier_gets_cancel()
    {
        await using var pbx = await StartAsync();
        var (caller, dial) = await DialOutAsync(pbx);
        dial.Ring();
        await pbx.TickAsync(TimeSpan.FromSeconds(0.5));
        await caller.Call.ByeAsync();
        await caller.Peer.ExpectRequestAsync(SipMethod.Cancel, dial.Invite.CallId);
        await pbx.NoCallsLeftAsync();
        Assert.Equal(HangupSide.Caller, (await caller.EndedAsync()).Side);
    }

    private static Task<InProcessPbx> StartAsync(Action<Telephony.Pbx.Calls.Configuration.PbxOptions>? configure = null) =>
        InProcessPbx.StartCallCenterAsync(configure, configDirectory: InProcessPbx.ConfigCopy(ivr: Tree));

    /// <summary>The VIP trunk caller presses 7: the server's INVITE out through the trunk (the same peer) arrives.</summary>
    private static async Task<(Caller Caller, UasCall Dial)> DialOutAsync(InProcessPbx pbx)
    {
        var caller = await pbx.TrunkCallerAsync("+15550000001");
        await pbx.TickAsync(TimeSpan.FromMilliseconds(500));
        caller.Media.Digit('7');
        var dial = await pbx.RingingAsync(caller.Peer, TimeSpan.FromSeconds(5));
        return (caller, dial);
    }

    private static async Task ExpectAllBusyThenByeAsync(InProcessPbx pbx, Caller caller)
    {
        await pbx.TickUntilAsync(() => caller.Peer.Has(m => m is SipRequest { Method: SipMethod.Bye } r && r.CallId == caller.CallId),
            TimeSpan.FromSeconds(8), "BYE after the all-busy prompt");
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        Assert.True(caller.Media.Heard(Sounds.Of("ivr/all-busy")), "the caller hears all-busy");
    }

    private static void AssertAddressing(SipRequest invite)
    {
        Assert.Equal($"sip:{External}@127.0.0.2", invite.RequestUri.ToString());
        Assert.Contains("<sip:+15550000001@", invite.Headers.Get(HeaderName.From), StringComparison.Ordinal);
        Assert.Contains($"<sip:{External}@127.0.0.2>", invite.Headers.Get(HeaderName.To), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", invite.Headers.Get("X-Telephony-Interaction"));
        Assert.Equal("30", invite.Headers.Get("X-Telephony-Priority"));
        Assert.Equal("external", invite.Headers.Get("X-Telephony-Tags"));
        Assert.Equal("external-support", invite.Headers.Get("X-Telephony-Var-reason"));
        Assert.Null(invite.Headers.Get("X-Telephony-Queue"));
    }
}
