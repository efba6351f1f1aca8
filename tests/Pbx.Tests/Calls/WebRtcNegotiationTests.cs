using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Transport;
using Telephony.Pbx.Media.Transport.InMemory;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Transport;
using Telephony.Pbx.Tests.Media.Transport;
using Telephony.Pbx.WebRtc.Dtls;
using Xunit.Abstractions;

namespace Telephony.Pbx.Tests.Calls;

/// <summary>
/// <see cref="MediaNegotiator"/> for WebRTC legs: answers to Chromium-shaped offers (RFC 8834 profile, ICE-lite
/// RFC 8445 §6.1.1, RFC 8839 attributes, a=setup RFC 8842, BUNDLE RFC 8843, rtcp-mux RFC 5761, telephone-event at the
/// codec's clock RFC 4733 §2.4.1), our WebRTC offers and their answers, re-offers (same association, ICE restart, new
/// certificate, no role switch), refusals, the public address, and the codec policy for SIP phones.
/// </summary>
public sealed class WebRtcNegotiationTests(ITestOutputHelper output) : IAsyncDisposable
{
    private static readonly IPAddress Local = IPAddress.Parse("192.0.2.10");
    private static readonly SipEndPoint Browser = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("198.51.100.20"), 5060));
    private readonly InMemoryMediaNetwork _network = new(Local);
    private readonly FakeTimeProvider _time = new();
    private MediaEngine? _engine;

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    private RtpSession Session()
    {
        _engine ??= new MediaEngine(new MediaEngineOptions { Transport = _network, Pacing = MediaPacing.Manual, LoopCount = 1 },
            time: _time);
        return _engine.CreateSession("n");
    }

    private MediaNegotiator Negotiator(IPAddress? publicAddress = null) =>
        new(new LocalAddressResolver(Local, null), new WebRtcMediaSettings
        {
            Certificate = WebRtcTransformTests.ServerCertificate, PublicAddress = publicAddress, Time = _time,
        });

    private static WebRtcTestPeer Peer() => new(new InMemoryMediaNetwork(), IPAddress.Parse("198.51.100.20"));

    private static string Text(byte[] sdp) => Encoding.ASCII.GetString(sdp);

    private static List<string> Lines(byte[] sdp) => [.. Text(sdp).Split("\r\n")];

    [Fact]
    public void A_chromium_offer_gets_an_ice_lite_dtls_answer_with_opus_and_telephone_event_48000()
    {
        using var peer = Peer();
        var session = Session();
        var state = new MediaSdpState();
        var result = Negotiator().Answer(peer.Offer(), session, state, Browser);
        Assert.True(result.Success, result.Failure);
        output.WriteLine("offer:\n" + Text(peer.Offer()) + "\nanswer:\n" + Text(result.Sdp!));
        var lines = Lines(result.Sdp!);
        Assert.Contains("a=ice-lite", lines);
        Assert.Contains("a=group:BUNDLE 0", lines);
        Assert.Contains($"m=audio {session.LocalRtpPort} UDP/TLS/RTP/SAVPF 111 110", lines);
        Assert.Contains("c=IN IP4 192.0.2.10", lines);
        Assert.Contains("a=rtpmap:111 opus/48000/2", lines);
        Assert.Contains("a=fmtp:111 minptime=10;useinbandfec=1", lines);
        Assert.Contains("a=rtpmap:110 telephone-event/48000", lines);
        Assert.DoesNotContain(lines, l => l.Contains("telephone-event/8000", StringComparison.Ordinal));
        Assert.Contains("a=mid:0", lines);
        Assert.Contains("a=rtcp-mux", lines);
        Assert.Contains("a=setup:passive", lines);
        Assert.Contains("a=fingerprint:" + WebRtcTransformTests.ServerCertificate.SdpFingerprint, lines);
        Assert.Contains($"a=candidate:1 1 udp 2130706431 192.0.2.10 {session.LocalRtpPort} typ host", lines);
        Assert.Contains("a=end-of-candidates", lines);
        Assert.Contains("a=sendrecv", lines); // c=0.0.0.0 with ICE is a default destination, not hold
        Assert.Contains(lines, l => l.StartsWith("a=ice-ufrag:", StringComparison.Ordinal) && l.Length >= 12 + 4);
        Assert.Contains(lines, l => l.StartsWith("a=ice-pwd:", StringComparison.Ordinal) && l.Length >= 10 + 22);
        Assert.DoesNotContain(lines, l => l.StartsWith("a=crypto", StringComparison.Ordinal));

        Assert.Equal(AudioCodec.Opus, result.Parameters!.Codec);
        Assert.Equal(111, result.Parameters.PayloadType);
        Assert.Equal(110, result.Parameters.TelephoneEventPayloadType);
        Assert.Equal(MediaDirection.SendRecv, result.Parameters.Direction);
        var transform = Assert.IsType<WebRtcTransform>(result.Transform);
        Assert.Equal(DtlsRole.Server, transform.Role);
        Assert.True(state.IsWebRtc);
        Assert.True(state.IsSecure);
        Assert.Equal(peer.Ice.Ufrag, transform.Ice.RemoteUfrag);
    }

    [Fact]
    public void A_browser_forced_to_pcmu_gets_pcmu_with_telephone_event_8000()
    {
        using var peer = Peer();
        var result = Negotiator().Answer(peer.Offer("0 126"), Session(), new MediaSdpState(), Browser);
        Assert.True(result.Success, result.Failure);
        var lines = Lines(result.Sdp!);
        Assert.Contains(lines, l => l.EndsWith("UDP/TLS/RTP/SAVPF 0 126", StringComparison.Ordinal));
        Assert.Contains("a=rtpmap:126 telephone-event/8000", lines);
        Assert.Equal(AudioCodec.Pcmu, result.Parameters!.Codec);
        Assert.Equal(126, result.Parameters.TelephoneEventPayloadType);
    }

    [Fact]
    public void A_data_channel_m_line_is_rejected_but_keeps_its_mid_and_leaves_the_bundle()
    {
        using var peer = Peer();
        var result = Negotiator().Answer(peer.Offer(dataChannel: true), Session(), new MediaSdpState(), Browser);
        Assert.True(result.Success, result.Failure);
        var text = Text(result.Sdp!);
        Assert.Contains("m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=group:BUNDLE 0\r\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a=rtcp-mux\r\n", "rtcp-mux")]
    [InlineData("a=fingerprint:", "fingerprint")]
    [InlineData("a=ice-pwd:", "ice-ufrag")]
    public void An_offer_without_what_webrtc_needs_is_refused(string remove, string named)
    {
        using var peer = Peer();
        var offer = string.Join("\r\n", Text(peer.Offer()).Split("\r\n").Where(l => !(l + "\r\n").StartsWith(remove, StringComparison.Ordinal)));
        var result = Negotiator().Answer(Encoding.ASCII.GetBytes(offer), Session(), new MediaSdpState(), Browser);
        Assert.False(result.Success);
        Assert.Contains(named, result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_passive_offerer_makes_us_the_dtls_client()
    {
        using var peer = Peer();
        var offer = Text(peer.Offer()).Replace("a=setup:actpass", "a=setup:passive", StringComparison.Ordinal);
        var result = Negotiator().Answer(Encoding.ASCII.GetBytes(offer), Session(), new MediaSdpState(), Browser);
        Assert.Contains("a=setup:active", Lines(result.Sdp!));
        Assert.Equal(DtlsRole.Client, Assert.IsType<WebRtcTransform>(result.Transform).Role);
    }

    [Fact]
    public void Re_offers_keep_the_association_restart_ice_on_new_credentials_and_never_switch_roles()
    {
        using var peer = Peer();
        var negotiator = Negotiator();
        var session = Session();
        var state = new MediaSdpState();
        var first = negotiator.Answer(peer.Offer(), session, state, Browser);
        var transform = first.Transform;
        var ufrag = Value(first.Sdp!, "a=ice-ufrag:");

        var hold = Text(peer.Offer()).Replace("a=sendrecv", "a=sendonly", StringComparison.Ordinal);
        var second = negotiator.Answer(Encoding.ASCII.GetBytes(hold), session, state, Browser);
        Assert.Same(transform, second.Transform);
        Assert.Equal(ufrag, Value(second.Sdp!, "a=ice-ufrag:"));
        Assert.Contains("a=setup:passive", Lines(second.Sdp!));
        Assert.Contains("a=recvonly", Lines(second.Sdp!));

        using var restarted = Peer(); // same certificate, new ICE credentials
        var third = negotiator.Answer(restarted.Offer(), session, state, Browser);
        Assert.Same(transform, third.Transform);
        Assert.NotEqual(ufrag, Value(third.Sdp!, "a=ice-ufrag:"));

        var switching = Text(restarted.Offer()).Replace("a=setup:actpass", "a=setup:passive", StringComparison.Ordinal);
        var refused = negotiator.Answer(Encoding.ASCII.GetBytes(switching), session, state, Browser);
        Assert.False(refused.Success);
        Assert.Contains("role", refused.Failure, StringComparison.Ordinal);

        var otherCertificate = Text(restarted.Offer()).Replace(WebRtcTestPeer.Certificate.SdpFingerprint,
            WebRtcTransformTests.ServerCertificate.SdpFingerprint, StringComparison.Ordinal);
        var fourth = negotiator.Answer(Encoding.ASCII.GetBytes(otherCertificate), session, state, Browser);
        Assert.True(fourth.Success, fourth.Failure);
        Assert.NotSame(transform, fourth.Transform); // a new certificate is a new DTLS association
    }

    [Fact]
    public void The_public_address_is_the_first_candidate_and_the_connection_address()
    {
        using var peer = Peer();
        var session = Session();
        var result = Negotiator(IPAddress.Parse("203.0.113.5")).Answer(peer.Offer(), session, new MediaSdpState(), Browser);
        var lines = Lines(result.Sdp!);
        Assert.Contains("c=IN IP4 203.0.113.5", lines);
        Assert.Contains($"a=candidate:1 1 udp 2130706431 203.0.113.5 {session.LocalRtpPort} typ host", lines);
        Assert.Contains($"a=candidate:2 1 udp 2130706175 192.0.2.10 {session.LocalRtpPort} typ host", lines);
    }

    [Fact]
    public void Our_webrtc_offer_and_the_browsers_answer()
    {
        var negotiator = Negotiator();
        var session = Session();
        var state = new MediaSdpState { IsWebRtc = true };
        var offer = negotiator.CreateOffer(session, state, Browser);
        output.WriteLine("our offer:\n" + Text(offer));
        var lines = Lines(offer);
        Assert.Contains($"m=audio {session.LocalRtpPort} UDP/TLS/RTP/SAVPF 111 0 8 101 110", lines);
        Assert.Contains("a=ice-lite", lines);
        Assert.Contains("a=group:BUNDLE 0", lines);
        Assert.Contains("a=mid:0", lines);
        Assert.Contains("a=setup:actpass", lines);
        Assert.Contains("a=rtpmap:110 telephone-event/48000", lines);
        Assert.Contains("a=rtpmap:101 telephone-event/8000", lines);
        Assert.Contains("a=rtcp-mux", lines);

        using var peer = Peer();
        var answer = Text(peer.Offer("111 110")).Replace("a=setup:actpass", "a=setup:active", StringComparison.Ordinal);
        var result = negotiator.ProcessAnswer(state, Encoding.ASCII.GetBytes(answer), Browser);
        Assert.True(result.Success, result.Failure);
        Assert.Equal(AudioCodec.Opus, result.Parameters!.Codec);
        Assert.Equal(110, result.Parameters.TelephoneEventPayloadType);
        Assert.Equal(DtlsRole.Server, Assert.IsType<WebRtcTransform>(result.Transform).Role);

        var actpass = negotiator.ProcessAnswer(state, peer.Offer("111 110"), Browser);
        Assert.False(actpass.Success);
    }

    [Fact]
    public void Sip_phones_get_what_they_offer_and_our_offers_to_them_stay_g711()
    {
        var negotiator = Negotiator();
        var phone = new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.50"), 5060));
        var opusFirst = "v=0\r\no=- 1 1 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\n" +
            "m=audio 4000 RTP/AVP 96 0 101\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n" +
            "a=rtpmap:101 telephone-event/8000\r\n";
        var result = negotiator.Answer(Encoding.ASCII.GetBytes(opusFirst), Session(), new MediaSdpState(), phone);
        Assert.True(result.Success, result.Failure);
        Assert.Equal(AudioCodec.Opus, result.Parameters!.Codec);
        Assert.Equal(96, result.Parameters.PayloadType);
        Assert.Null(result.Parameters.TelephoneEventPayloadType); // only an 8 kHz event was offered
        Assert.IsType<PlainRtpTransform>(result.Transform);

        var offer = Text(negotiator.CreateOffer(Session(), new MediaSdpState(), phone));
        Assert.Contains("m=audio", offer, StringComparison.Ordinal);
        Assert.Contains("RTP/AVP 0 8 101\r\n", offer, StringComparison.Ordinal);
        Assert.DoesNotContain("opus", offer, StringComparison.Ordinal);
        Assert.DoesNotContain("ice", offer, StringComparison.Ordinal);
    }

    [Fact]
    public void Webrtc_is_accepted_whatever_rtp_srtp_says()
    {
        using var peer = Peer();
        var state = new MediaSdpState { Security = MediaSecurity.Off };
        Assert.True(Negotiator().Answer(peer.Offer(), Session(), state, Browser).Success);
        using var other = Peer();
        var required = new MediaSdpState { Security = MediaSecurity.Required };
        Assert.True(Negotiator().Answer(other.Offer(), Session(), required, Browser).Success);
    }

    private static string Value(byte[] sdp, string prefix) =>
        Lines(sdp).First(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];
}
