using System.Net;
using Telephony.Pbx.Sdp;
using static Telephony.Pbx.Tests.Sdp.SdpTestData;

namespace Telephony.Pbx.Tests.Sdp;

/// <summary>
/// Offer/answer with Opus (RFC 7587 §7: opus/48000/2 with fmtp) and telephone-event at the chosen codec's clock
/// (RFC 4733 §2.4.1), and ICE's default destination c=0.0.0.0 (RFC 8839 §4.2.1.1), which is not RFC 3264 §8.4 hold.
/// </summary>
public sealed class OfferAnswerOpusTests
{
    private static readonly LocalMediaConfig Local = new()
    {
        Address = IPAddress.Parse("203.0.113.5"),
        Port = 30000,
        SessionId = 42,
        SessionVersion = 1,
        Codecs = [SdpCodec.Opus, SdpCodec.Pcmu, SdpCodec.Pcma],
    };

    private const string Head = "v=0\r\no=peer 7 7 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\n";

    private const string Events = "a=rtpmap:110 telephone-event/48000\r\na=rtpmap:126 telephone-event/8000\r\n";

    private static NegotiatedMedia Answer(string offer, out string answer)
    {
        var sdp = OfferAnswer.CreateAnswer(Parse(offer), Local, out var media, out var failure);
        Assert.True(sdp is not null, failure);
        answer = sdp!.ToString();
        Assert.Equal(answer, Parse(answer).ToString());
        return media!;
    }

    [Fact]
    public void Opus_first_is_answered_with_telephone_event_48000_only()
    {
        var media = Answer(Head + "m=audio 5000 RTP/AVP 111 0 126 110\r\na=rtpmap:111 opus/48000/2\r\n" + Events, out var answer);
        Assert.Equal("opus", media.CodecName);
        Assert.Equal(48000, media.ClockRateHz);
        Assert.Equal(110, media.TelephoneEventPayloadType);
        Assert.Contains("m=audio 30000 RTP/AVP 111 110\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n" +
            "a=rtpmap:110 telephone-event/48000\r\na=fmtp:110 0-16\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Pcmu_first_is_answered_with_telephone_event_8000()
    {
        var media = Answer(Head + "m=audio 5000 RTP/AVP 0 111 110 126\r\na=rtpmap:111 opus/48000/2\r\n" + Events, out var answer);
        Assert.Equal("PCMU", media.CodecName);
        Assert.Equal(126, media.TelephoneEventPayloadType);
        Assert.DoesNotContain("telephone-event/48000", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Opus_without_a_channel_count_is_accepted_and_no_matching_event_means_none()
    {
        var media = Answer(Head + "m=audio 5000 RTP/AVP 96 126\r\na=rtpmap:96 opus/48000\r\na=rtpmap:126 telephone-event/8000\r\n",
            out _);
        Assert.Equal("opus", media.CodecName);
        Assert.Null(media.TelephoneEventPayloadType); // DTMF goes in-band (Goertzel on the decoded audio)
    }

    [Fact]
    public void Our_offer_adds_telephone_event_48000_only_next_to_a_48_khz_codec()
    {
        var withOpus = OfferAnswer.CreateOffer(Local).ToString();
        Assert.Contains("m=audio 30000 RTP/AVP 111 0 8 101 110\r\n", withOpus, StringComparison.Ordinal);
        var g711 = OfferAnswer.CreateOffer(Local with { Codecs = [SdpCodec.Pcmu] }).ToString();
        Assert.DoesNotContain("48000", g711, StringComparison.Ordinal);
    }

    [Fact]
    public void The_answer_to_our_opus_offer_takes_the_event_at_the_codecs_clock()
    {
        var offer = OfferAnswer.CreateOffer(Local);
        var answer = Parse(Head + "m=audio 5000 RTP/AVP 111 101 110\r\na=rtpmap:111 opus/48000/2\r\n" +
            "a=rtpmap:101 telephone-event/8000\r\na=rtpmap:110 telephone-event/48000\r\n");
        var media = OfferAnswer.ProcessAnswer(offer, answer, out var failure);
        Assert.True(media is not null, failure);
        Assert.Equal(111, media!.PayloadType);
        Assert.Equal(110, media.TelephoneEventPayloadType);
    }

    [Fact]
    public void Chromiums_answer_to_our_opus_offer_keeps_telephone_event_8000_as_the_alternate_received()
    {
        // Chromium 156's answer to the server's offer (agent desktop, queue call): both event streams listed; it then
        // sends its keys as PT 101 (telephone-event/8000) next to Opus.
        var offer = OfferAnswer.CreateOffer(Local);
        var answer = Parse(Head + "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8 101 110\r\na=rtpmap:111 opus/48000/2\r\n" +
            "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n" +
            "a=rtpmap:101 telephone-event/8000\r\na=rtpmap:110 telephone-event/48000\r\n");
        offer.Media[0].Protocol = "UDP/TLS/RTP/SAVPF";
        var media = OfferAnswer.ProcessAnswer(offer, answer, out var failure);
        Assert.True(media is not null, failure);
        Assert.Equal(111, media!.PayloadType);
        Assert.Equal(110, media.TelephoneEventPayloadType); // what we send (RFC 4733 §2.4.1: the codec's clock)
        Assert.Equal(101, media.AlternateTelephoneEventPayloadType); // also accepted on receive
    }

    [Fact]
    public void An_answer_with_one_telephone_event_has_no_alternate_and_an_unoffered_one_is_ignored()
    {
        var offer = OfferAnswer.CreateOffer(Local);
        var one = OfferAnswer.ProcessAnswer(offer, Parse(Head + "m=audio 5000 RTP/AVP 111 110\r\na=rtpmap:111 opus/48000/2\r\n" +
            "a=rtpmap:110 telephone-event/48000\r\n"), out _);
        Assert.Equal(110, one!.TelephoneEventPayloadType);
        Assert.Null(one.AlternateTelephoneEventPayloadType);

        var unoffered = OfferAnswer.ProcessAnswer(offer, Parse(Head + "m=audio 5000 RTP/AVP 0 101 126\r\n" +
            "a=rtpmap:101 telephone-event/8000\r\na=rtpmap:126 telephone-event/48000\r\n"), out _);
        Assert.Equal(101, unoffered!.TelephoneEventPayloadType);
        Assert.Null(unoffered.AlternateTelephoneEventPayloadType); // 126 was not in our offer
    }

    [Fact]
    public void With_ice_c_0_0_0_0_is_a_default_destination_not_hold()
    {
        const string ice = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\nc=IN IP4 0.0.0.0\r\n" +
            "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\na=sendrecv\r\n";
        var media = Answer(ice, out var answer);
        Assert.False(media.IsHeldByRemote);
        Assert.Contains("a=sendrecv", answer, StringComparison.Ordinal);

        var hold = Answer(ice.Replace("a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n", string.Empty,
            StringComparison.Ordinal), out var held);
        Assert.True(hold.IsHeldByRemote); // without ICE, RFC 3264 §8.4 hold as before
        Assert.Contains("a=recvonly", held, StringComparison.Ordinal);
    }
}
