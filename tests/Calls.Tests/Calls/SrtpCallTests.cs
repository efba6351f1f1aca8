using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Media;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>SRTP for phones (RFC 3711, SDES RFC 4568) in process: rtp.srtp off / optional / required.</summary>
public sealed class SrtpCallTests
{
    private static string Text(byte[] sdp) => System.Text.Encoding.ASCII.GetString(sdp);

    [Fact]
    public async Task Srtp_phone_calls_the_echo_number_and_hears_itself_through_srtp()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var phone = pbx.Phone("1002");
        var media = pbx.RtpPeer();
        var call = await phone.CallAsync("9000", media.SecureOffer());
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("m=audio", Text(ok.Body), StringComparison.Ordinal);
        Assert.Contains("RTP/SAVP", Text(ok.Body), StringComparison.Ordinal);
        Assert.Contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:", Text(ok.Body), StringComparison.Ordinal);
        media.ConnectTo(ok.Body);
        media.UseServerCrypto(ok.Body);

        media.Tone(700);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(media.ToneShare(700) > 0.7, $"echo through SRTP: {media.ToneShare(700):F2}");
        Assert.Equal(0, media.SrtpFailures);
        Assert.Equal(0, pbx.Media.Stats.Dropped.GetValueOrDefault(MediaDropReason.SrtpRejected));
        await call.ByeAsync();
    }

    [Fact]
    public async Task Srtp_phone_is_bridged_to_a_plain_phone_audio_both_ways()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var callee = await pbx.RegisteredPhoneAsync("1001");
        var calleeMedia = pbx.RtpPeer("10.0.2.2");
        var caller = pbx.Phone("1002");
        var callerMedia = pbx.RtpPeer("10.0.2.3");

        var call = await caller.CallAsync("1001", callerMedia.SecureOffer());
        var incoming = await callee.ExpectCallAsync();
        Assert.Contains("RTP/AVP", Text(incoming.Invite.Body), StringComparison.Ordinal); // optional: plain towards the plain phone
        Assert.DoesNotContain("a=crypto", Text(incoming.Invite.Body), StringComparison.Ordinal);
        incoming.Answer(calleeMedia.Answer());
        calleeMedia.ConnectTo(incoming.Invite.Body);
        var ok = await call.FinalAsync();
        callerMedia.ConnectTo(ok.Body);
        callerMedia.UseServerCrypto(ok.Body);

        callerMedia.Tone(440);
        calleeMedia.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(calleeMedia.ToneShare(440) > 0.7, $"plain callee hears the SRTP caller: {calleeMedia.ToneShare(440):F2}");
        Assert.True(callerMedia.ToneShare(1000) > 0.7, $"SRTP caller hears the plain callee: {callerMedia.ToneShare(1000):F2}");
        Assert.Equal(0, callerMedia.SrtpFailures);
        await call.ByeAsync();
    }

    [Fact]
    public async Task Required_refuses_a_plain_offer_with_488_and_offers_srtp_to_phones()
    {
        await using var pbx = await InProcessPbx.StartAsync(configure: o => o.Rtp.Srtp = "required");
        var callee = await pbx.RegisteredPhoneAsync("1001");
        var caller = pbx.Phone("1002");
        var plain = pbx.RtpPeer("10.0.2.4");
        var refused = await caller.CallAsync("9000", plain.Offer());
        var final = await refused.FinalAsync();
        Assert.Equal(488, final.StatusCode);
        Assert.Contains("SRTP", final.ReasonPhrase, StringComparison.Ordinal);

        var secure = pbx.RtpPeer("10.0.2.5");
        var call = await caller.CallAsync("1001", secure.SecureOffer());
        var incoming = await callee.ExpectCallAsync();
        Assert.Contains("RTP/SAVP", Text(incoming.Invite.Body), StringComparison.Ordinal);
        Assert.Contains("a=crypto:", Text(incoming.Invite.Body), StringComparison.Ordinal);
        incoming.Reject(486);
        Assert.Equal(486, (await call.FinalAsync()).StatusCode);
    }

    [Fact]
    public async Task Off_refuses_rtp_savp_and_ignores_crypto_on_a_plain_offer()
    {
        await using var pbx = await InProcessPbx.StartAsync(configure: o => o.Rtp.Srtp = "off");
        var caller = pbx.Phone("1002");
        var media = pbx.RtpPeer();
        Assert.Equal(488, (await (await caller.CallAsync("9000", media.SecureOffer())).FinalAsync()).StatusCode);

        var bestEffort = pbx.RtpPeer("10.0.2.6");
        var call = await caller.CallAsync("9000", bestEffort.SecureOffer("RTP/AVP"));
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        Assert.DoesNotContain("a=crypto", Text(ok.Body), StringComparison.Ordinal);
        await call.ByeAsync();
    }

    [Fact]
    public async Task Unusable_crypto_on_rtp_savp_is_refused_with_488()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var caller = pbx.Phone("1002");
        var media = pbx.RtpPeer();
        var call = await caller.CallAsync("9000", Sdp.Secure(media.Host, media.Port, ["1 AES_CM_128_HMAC_SHA1_80 inline:notbase64!!"]));
        var final = await call.FinalAsync();
        Assert.Equal(488, final.StatusCode);
        Assert.Contains("crypto", final.ReasonPhrase, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Re_invite_with_the_same_key_keeps_srtp_running()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var phone = pbx.Phone("1002");
        var media = pbx.RtpPeer();
        var offer = media.SecureOffer();
        var call = await phone.CallAsync("9000", offer);
        var ok = await call.FinalAsync();
        media.ConnectTo(ok.Body);
        media.UseServerCrypto(ok.Body);
        media.Tone(500);
        await pbx.TickAsync(TimeSpan.FromMilliseconds(500));

        var reinvite = call.SendInDialog(SipMethod.Invite, r =>
        {
            r.Headers.Add(HeaderName.ContentType, "application/sdp");
            r.Body = offer;
        });
        var reOk = await phone.ExpectResponseAsync(reinvite, final: true);
        Assert.Equal(200, reOk.StatusCode);
        phone.Send(call.Dialog!.CreateAck(reinvite.CSeq.Number));
        Assert.Equal(CryptoLine(ok.Body), CryptoLine(reOk.Body)); // our key stays: no re-keying on a re-offer that keeps its key
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(media.ToneShare(500) > 0.7, $"echo after the re-INVITE: {media.ToneShare(500):F2}");
        Assert.Equal(0, media.SrtpFailures);
        await call.ByeAsync();
    }

    private static string CryptoLine(byte[] sdp) =>
        Text(sdp).Split("\r\n").First(l => l.StartsWith("a=crypto:", StringComparison.Ordinal));
}
