using System.Diagnostics;
using System.Net;
using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Tests.Media.Transport;

namespace Telephony.Calls.Tests.WebRtc;

/// <summary>
/// WebRTC legs in whole calls, in process: a browser-like peer (<see cref="WebRtcTestPeer"/>: ICE checks, DTLS client,
/// SRTP, Opus at 48 kHz) offers UDP/TLS/RTP/SAVPF through a test phone's SIP signalling; the server answers ICE-lite +
/// DTLS-SRTP and the call runs on the fake clock. The DTLS handshake itself runs in real time (bounded).
/// </summary>
public sealed class WebRtcCallTests
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    private static string Text(byte[] sdp) => System.Text.Encoding.ASCII.GetString(sdp);

    [Fact]
    public async Task Browser_calls_the_echo_number_and_hears_itself_through_opus_and_dtls_srtp()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var phone = pbx.Phone("1002");
        using var web = new WebRtcTestPeer(pbx.MediaNetwork, IPAddress.Parse("10.0.3.1"));
        var call = await phone.CallAsync("9000", web.Offer());
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("UDP/TLS/RTP/SAVPF 111 110", Text(ok.Body), StringComparison.Ordinal);
        Assert.Contains("a=ice-lite", Text(ok.Body), StringComparison.Ordinal);
        web.UseAnswer(ok.Body);
        Assert.Equal("passive", web.AnswerSetup);
        Assert.True(web.Opus);

        web.Tone(1000);
        await ConnectAsync(pbx, web);
        await RunAsync(pbx, web, TimeSpan.FromSeconds(1));
        Assert.True(web.ToneShare(1000, 400) > 0.8, $"echo through Opus + DTLS-SRTP: {web.ToneShare(1000, 400):F2}");
        Assert.Equal(0, web.SrtpFailures);
        await call.ByeAsync();
    }

    [Fact]
    public async Task Browser_bridged_to_a_pcmu_phone_both_hear_the_other()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var callee = await pbx.RegisteredPhoneAsync("1001");
        var calleeMedia = pbx.RtpPeer("10.0.2.2");
        var caller = pbx.Phone("1002");
        using var web = new WebRtcTestPeer(pbx.MediaNetwork, IPAddress.Parse("10.0.3.2"));

        var call = await caller.CallAsync("1001", web.Offer());
        var incoming = await callee.ExpectCallAsync();
        Assert.Contains("RTP/AVP 0 8 101", Text(incoming.Invite.Body), StringComparison.Ordinal); // the phone leg stays G.711
        incoming.Answer(calleeMedia.Answer());
        calleeMedia.ConnectTo(incoming.Invite.Body);
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        web.UseAnswer(ok.Body);

        web.Tone(440);
        calleeMedia.Tone(1000);
        await ConnectAsync(pbx, web);
        await RunAsync(pbx, web, TimeSpan.FromSeconds(1));
        Assert.True(calleeMedia.ToneShare(440) > 0.7, $"the PCMU phone hears the browser: {calleeMedia.ToneShare(440):F2}");
        Assert.True(web.ToneShare(1000, 400) > 0.7, $"the browser hears the PCMU phone: {web.ToneShare(1000, 400):F2}");
        await call.ByeAsync();
    }

    [Fact]
    public async Task A_browser_that_stops_consent_checks_is_hung_up_after_30_s()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var phone = pbx.Phone("1002");
        using var web = new WebRtcTestPeer(pbx.MediaNetwork, IPAddress.Parse("10.0.3.3"));
        var call = await phone.CallAsync("9000", web.Offer());
        var ok = await call.FinalAsync();
        web.UseAnswer(ok.Body);
        await ConnectAsync(pbx, web);
        web.SendChecks = false; // the tab went away without a BYE
        await RunAsync(pbx, web, TimeSpan.FromSeconds(29));
        Assert.False(phone.Has(m => m is Telephony.Pbx.Sip.Messages.SipRequest { Method: "BYE" }));
        await RunAsync(pbx, web, TimeSpan.FromSeconds(3));
        var bye = await phone.ExpectRequestAsync("BYE", call.Invite.CallId);
        Assert.NotNull(bye);
        var ended = await pbx.Observer.EndedAsync((await pbx.CallAsync(call.Invite.CallId!)).Id);
        Assert.Contains("consent", ended.Cause, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_webrtc_offer_without_rtcp_mux_is_refused_with_488()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var phone = pbx.Phone("1002");
        using var web = new WebRtcTestPeer(pbx.MediaNetwork, IPAddress.Parse("10.0.3.4"));
        var final = await (await phone.CallAsync("9000", web.Offer(rtcpMux: false))).FinalAsync();
        Assert.Equal(488, final.StatusCode);
        Assert.Contains("rtcp-mux", final.ReasonPhrase, StringComparison.Ordinal);
    }

    /// <summary>Ticks the server and the peer until ICE, DTLS and SRTP are up (DTLS runs in real time; 10 s at most).</summary>
    private static async Task ConnectAsync(InProcessPbx pbx, WebRtcTestPeer web)
    {
        var clock = Stopwatch.StartNew();
        while (!web.IsSecure || web.RtpReceived == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10),
                $"not connected: checks {web.ChecksSucceeded}, DTLS {web.Dtls?.State}, RTP {web.RtpReceived}");
            await pbx.TickAsync(Frame);
            web.Tick();
        }
    }

    private static async Task RunAsync(InProcessPbx pbx, WebRtcTestPeer web, TimeSpan duration)
    {
        for (var t = TimeSpan.Zero; t < duration; t += Frame)
        {
            await pbx.TickAsync(Frame);
            web.Tick();
        }
    }
}
