using System.Net;
using Telephony.Pbx.Sdp;
using static Telephony.Pbx.Tests.Sdp.SdpTestData;

namespace Telephony.Pbx.Tests.Sdp;

public class OfferAnswerTests
{
    private static readonly LocalMediaConfig Local = new()
    {
        Address = IPAddress.Parse("203.0.113.5"),
        Port = 30000,
        SessionId = 42,
        SessionVersion = 1,
    };

    private const string Head = "v=0\r\no=peer 7 7 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\n";

    private static (SdpDescription Answer, NegotiatedMedia Media) Answer(SdpDescription offer, LocalMediaConfig? local = null)
    {
        SdpDescription? answer = OfferAnswer.CreateAnswer(offer, local ?? Local, out NegotiatedMedia? media, out string? failure);
        Assert.True(answer is not null, failure);
        Assert.Null(failure);
        // What we write must parse again and have one m= line per offered one.
        SdpDescription reparsed = Parse(answer!.ToString());
        Assert.Equal(offer.Media.Count, reparsed.Media.Count);
        return (answer, media!);
    }

    [Fact]
    public void Create_offer_lists_codecs_telephone_event_ptime_and_direction()
    {
        SdpDescription offer = OfferAnswer.CreateOffer(Local);
        string text = offer.ToString();
        Assert.Equal(
            "v=0\r\no=- 42 1 IN IP4 203.0.113.5\r\ns=Telephony\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\n" +
            "m=audio 30000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n" +
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n",
            text);
        Assert.Equal(text, Parse(text).ToString());
    }

    [Fact]
    public void Rfc3264_10_1_answer_keeps_pcmu_and_rejects_video_with_port_zero()
    {
        SdpDescription offer = ParseWithIps("rfc3264-10.1-offer.sdp");
        (SdpDescription answer, NegotiatedMedia media) = Answer(offer);
        Assert.Equal(["0"], answer.Media[0].Formats);
        Assert.Equal(0, answer.Media[1].Port);
        Assert.Equal("video", answer.Media[1].Media);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), media.RemoteAddress);
        Assert.Equal(49170, media.RemotePort);
        Assert.Equal(("PCMU", 0, 8000), (media.CodecName, media.PayloadType, media.ClockRateHz));
        Assert.Null(media.TelephoneEventPayloadType);
        Assert.Equal(SdpDirection.SendRecv, media.Direction);
    }

    [Fact]
    public void Rfc3264_10_1_process_answer_reads_bobs_answer()
    {
        NegotiatedMedia? media = OfferAnswer.ProcessAnswer(
            ParseWithIps("rfc3264-10.1-offer.sdp"), ParseWithIps("rfc3264-10.1-answer.sdp"), out string? failure);
        Assert.Null(failure);
        Assert.Equal((IPAddress.Parse("192.0.2.20"), 49174, "PCMU", 0), (media!.RemoteAddress, media.RemotePort, media.CodecName, media.PayloadType));
        Assert.Equal(0, media.MediaIndex);
    }

    [Fact]
    public void Rfc3264_10_1_reoffer_recvonly_second_audio_is_answered_sendonly_by_peer()
    {
        // Our codec set has no "telephone-events" codec, so only the first audio stream is taken.
        SdpDescription offer = ParseWithIps("rfc3264-10.1-reoffer.sdp");
        (SdpDescription answer, NegotiatedMedia media) = Answer(offer);
        Assert.Equal(0, media.MediaIndex);
        Assert.Equal(0, answer.Media[1].Port);
        Assert.Equal(0, answer.Media[2].Port);
        // Bob's side of the same exchange: Alice's RFC answer gives him her port 49170 and PCMU.
        NegotiatedMedia? fromRfc = OfferAnswer.ProcessAnswer(offer, ParseWithIps("rfc3264-10.1-reanswer.sdp"), out _);
        Assert.Equal((IPAddress.Parse("192.0.2.10"), 49170, "PCMU"), (fromRfc!.RemoteAddress, fromRfc.RemotePort, fromRfc.CodecName));
    }

    [Fact]
    public void Rfc3264_10_2_one_of_n_codec_selection_uses_offerers_preference()
    {
        (SdpDescription answer, NegotiatedMedia media) = Answer(ParseWithIps("rfc3264-10.2-offer.sdp"),
            Local with { Codecs = [SdpCodec.Pcma, SdpCodec.Pcmu] });
        Assert.Equal("PCMU", media.CodecName);
        Assert.Equal(["0"], answer.Media[0].Formats);
    }

    [Fact]
    public void Rfc4317_audio_only_keeps_offered_telephone_event_pt_and_ptime()
    {
        (SdpDescription answer, NegotiatedMedia media) = Answer(ParseWithIps("rfc4317-2.6-offer.sdp"));
        Assert.Equal(101, media.TelephoneEventPayloadType);
        Assert.Equal(["0", "101"], answer.Media[0].Formats);
        Assert.Equal("0-16", answer.Media[0].GetFmtp(101));
        Assert.Equal(20, media.PacketTimeMs);
        NegotiatedMedia? processed = OfferAnswer.ProcessAnswer(
            ParseWithIps("rfc4317-2.6-offer.sdp"), ParseWithIps("rfc4317-2.6-answer.sdp"), out _);
        Assert.Equal(101, processed!.TelephoneEventPayloadType);
    }

    [Fact]
    public void Pcma_only_offer_is_answered_with_pcma()
    {
        (SdpDescription answer, NegotiatedMedia media) = Answer(Parse(Head + "m=audio 5000 RTP/AVP 8\r\n"));
        Assert.Equal(("PCMA", 8), (media.CodecName, media.PayloadType));
        Assert.Equal(["8"], answer.Media[0].Formats);
        Assert.Equal(30000, answer.Media[0].Port);
    }

    [Fact]
    public void Dynamic_telephone_event_payload_type_is_kept()
    {
        (SdpDescription answer, NegotiatedMedia media) = Answer(Parse(Head +
            "m=audio 5000 RTP/AVP 0 96\r\na=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-15\r\n"));
        Assert.Equal(96, media.TelephoneEventPayloadType);
        Assert.Equal(["0", "96"], answer.Media[0].Formats);
        Assert.Contains("a=rtpmap:96 telephone-event/8000", answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Telephone_event_is_not_answered_when_not_offered_or_not_supported()
    {
        Assert.Null(Answer(Parse(Head + "m=audio 5000 RTP/AVP 0\r\n")).Media.TelephoneEventPayloadType);
        (SdpDescription answer, NegotiatedMedia media) = Answer(
            Parse(Head + "m=audio 5000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"),
            Local with { TelephoneEventPayloadType = null });
        Assert.Null(media.TelephoneEventPayloadType);
        Assert.Equal(["0"], answer.Media[0].Formats);
    }

    [Fact]
    public void Dynamic_pt_for_pcmu_is_kept()
    {
        NegotiatedMedia media = Answer(Parse(Head + "m=audio 5000 RTP/AVP 112\r\na=rtpmap:112 pcmu/8000\r\n")).Media;
        Assert.Equal(("PCMU", 112), (media.CodecName, media.PayloadType));
    }

    [Fact]
    public void No_common_codec_gives_null_answer_and_failure()
    {
        SdpDescription offer = Parse(Head + "m=audio 5000 RTP/AVP 9 18 96\r\na=rtpmap:96 opus/48000/2\r\n");
        Assert.Null(OfferAnswer.CreateAnswer(offer, Local, out NegotiatedMedia? media, out string? failure));
        Assert.Null(media);
        Assert.Contains("codec", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Video_only_or_no_media_offer_fails()
    {
        Assert.Null(OfferAnswer.CreateAnswer(Parse(Head + "m=video 5000 RTP/AVP 31\r\n"), Local, out _, out string? f1));
        Assert.NotNull(f1);
        Assert.Null(OfferAnswer.CreateAnswer(Parse(Head), Local, out _, out string? f2));
        Assert.Equal("offer has no media", f2);
    }

    [Fact]
    public void Srtp_audio_is_rejected_and_next_plain_audio_line_is_taken()
    {
        (SdpDescription answer, NegotiatedMedia media) = Answer(Parse(Head +
            "m=audio 5000 RTP/SAVP 0\r\nm=audio 6000 RTP/AVP 0\r\n"));
        Assert.Equal(1, media.MediaIndex);
        Assert.Equal(6000, media.RemotePort);
        Assert.Equal((0, 30000), (answer.Media[0].Port, answer.Media[1].Port));
    }

    [Theory]
    [InlineData("a=sendonly\r\n", SdpDirection.RecvOnly, true)]
    [InlineData("a=inactive\r\n", SdpDirection.Inactive, true)]
    [InlineData("a=recvonly\r\n", SdpDirection.SendOnly, false)]
    [InlineData("a=sendrecv\r\n", SdpDirection.SendRecv, false)]
    public void Hold_offer_direction_is_mirrored(string attribute, SdpDirection ours, bool held)
    {
        (SdpDescription answer, NegotiatedMedia media) = Answer(Parse(Head + "m=audio 5000 RTP/AVP 0\r\n" + attribute));
        Assert.Equal(ours, media.Direction);
        Assert.Equal(ours, answer.Media[0].Direction);
        Assert.Equal(held, media.IsHeldByRemote);
    }

    [Fact]
    public void Rfc2543_hold_with_zero_address_means_do_not_send()
    {
        string text = Head.Replace("c=IN IP4 198.51.100.1", "c=IN IP4 0.0.0.0", StringComparison.Ordinal) + "m=audio 5000 RTP/AVP 0\r\n";
        NegotiatedMedia media = Answer(Parse(text)).Media;
        Assert.True(media.IsHeldByRemote);
        Assert.Equal(SdpDirection.RecvOnly, media.Direction);
    }

    [Fact]
    public void Hold_then_unhold_with_rfc4317_vectors()
    {
        NegotiatedMedia held = Answer(ParseWithIps("rfc4317-3.1-hold-offer.sdp")).Media;
        Assert.True(held.IsHeldByRemote);
        Assert.Equal(SdpDirection.RecvOnly, held.Direction);
        NegotiatedMedia resumed = Answer(ParseWithIps("rfc4317-3.1-unhold-offer.sdp")).Media;
        Assert.False(resumed.IsHeldByRemote);
        Assert.Equal(SdpDirection.SendRecv, resumed.Direction);
    }

    [Fact]
    public void We_put_peer_on_hold_with_sendonly_reoffer_and_bumped_version()
    {
        LocalMediaConfig hold = Local with { Direction = SdpDirection.SendOnly, SessionVersion = Local.SessionVersion + 1 };
        SdpDescription offer = OfferAnswer.CreateOffer(hold);
        Assert.Equal(2UL, offer.Origin.SessionVersion);
        Assert.Equal(SdpDirection.SendOnly, offer.Media[0].Direction);
        SdpDescription peerAnswer = Parse(Head + "m=audio 5000 RTP/AVP 0\r\na=recvonly\r\n");
        NegotiatedMedia? media = OfferAnswer.ProcessAnswer(offer, peerAnswer, out string? failure);
        Assert.Null(failure);
        Assert.Equal(SdpDirection.SendOnly, media!.Direction);
        Assert.False(media.IsHeldByRemote);
    }

    [Fact]
    public void Process_answer_with_zero_address_is_held()
    {
        SdpDescription offer = OfferAnswer.CreateOffer(Local);
        string answer = Head.Replace("c=IN IP4 198.51.100.1", "c=IN IP4 0.0.0.0", StringComparison.Ordinal) + "m=audio 5000 RTP/AVP 0\r\n";
        NegotiatedMedia? media = OfferAnswer.ProcessAnswer(offer, Parse(answer), out _);
        Assert.True(media!.IsHeldByRemote);
        Assert.Equal(SdpDirection.RecvOnly, media.Direction);
    }

    [Fact]
    public void Our_local_direction_limits_the_answer()
    {
        NegotiatedMedia media = Answer(Parse(Head + "m=audio 5000 RTP/AVP 0\r\n"), Local with { Direction = SdpDirection.Inactive }).Media;
        Assert.Equal(SdpDirection.Inactive, media.Direction);
    }

    [Fact]
    public void Process_answer_failures()
    {
        SdpDescription offer = OfferAnswer.CreateOffer(Local);
        Assert.Null(OfferAnswer.ProcessAnswer(offer, Parse(Head), out string? f1));
        Assert.Contains("m= lines", f1, StringComparison.Ordinal);
        Assert.Null(OfferAnswer.ProcessAnswer(offer, Parse(Head + "m=audio 0 RTP/AVP 0\r\n"), out string? f2));
        Assert.NotNull(f2);
        Assert.Null(OfferAnswer.ProcessAnswer(offer, Parse(Head + "m=audio 5000 RTP/AVP 9\r\n"), out string? f3));
        Assert.Contains("codec", f3, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_answer_with_pcma_and_ptime()
    {
        SdpDescription offer = OfferAnswer.CreateOffer(Local);
        NegotiatedMedia? media = OfferAnswer.ProcessAnswer(offer,
            Parse(Head + "m=audio 5000 RTP/AVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:30\r\n"), out _);
        Assert.Equal(("PCMA", 8, 101, 30), (media!.CodecName, media.PayloadType, media.TelephoneEventPayloadType, media.PacketTimeMs));
    }
}
