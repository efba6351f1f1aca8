using Telephony.Pbx.Rtp.Srtp;
using static Telephony.Pbx.Tests.Rtp.Srtp.SrtpTestPackets;

namespace Telephony.Pbx.Tests.Rtp.Srtp;

public class SdesNegotiationTests
{
    private const string Key30 = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

    [Fact]
    public void Answer_takes_the_first_supported_line_in_offer_order_and_answers_with_its_tag_and_a_new_key()
    {
        string[] offer =
        [
            "1 AES_256_CM_HMAC_SHA1_80 inline:" + Key30 + Key30,
            "2 AES_CM_128_HMAC_SHA1_32 inline:" + Key30,
            "3 AES_CM_128_HMAC_SHA1_80 inline:" + Key30,
        ];
        var answer = SdesNegotiation.Answer(offer);
        Assert.True(answer.Success);
        Assert.Equal(SdesError.None, answer.Error);
        Assert.Equal(2, answer.Remote!.Tag);
        Assert.Same(SrtpProfile.AesCm128HmacSha1Tag32, answer.Local!.Profile);
        Assert.Equal(2, answer.Local.Tag);
        Assert.NotEqual(answer.Remote.MasterKey.ToArray(), answer.Local.MasterKey.ToArray());
        Assert.Equal([new SdesRejection(1, "AES_256_CM_HMAC_SHA1_80", SdesError.UnsupportedSuite)], answer.Rejected);
    }

    [Fact]
    public void Answer_skips_a_supported_suite_with_a_bad_key_and_takes_the_next()
    {
        string[] offer =
        [
            "1 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + "|2^20|1:4",
            "2 AES_CM_128_HMAC_SHA1_80 inline:" + Key30,
        ];
        var answer = SdesNegotiation.Answer(offer);
        Assert.Equal(2, answer.Local!.Tag);
        Assert.Equal(SdesError.MkiNotSupported, answer.Rejected.Single().Error);
    }

    [Fact]
    public void Answer_honours_a_restricted_supported_list()
    {
        var offer = new[] { "1 AES_CM_128_HMAC_SHA1_32 inline:" + Key30 };
        var answer = SdesNegotiation.Answer(offer, [SrtpProfile.AesCm128HmacSha1Tag80]);
        Assert.False(answer.Success);
        Assert.Equal(SdesError.UnsupportedSuite, answer.Error);
    }

    [Fact]
    public void Answer_reports_the_reason_of_the_supported_line_when_nothing_is_acceptable()
    {
        string[] offer =
        [
            "1 F8_128_HMAC_SHA1_80 inline:" + Key30,
            "2 AES_CM_128_HMAC_SHA1_80 inline:" + Key30 + " UNENCRYPTED_SRTP",
        ];
        var answer = SdesNegotiation.Answer(offer);
        Assert.False(answer.Success);
        Assert.Null(answer.Local);
        Assert.Equal(SdesError.UnsupportedSessionParameter, answer.Error);
        Assert.Equal(2, answer.Rejected.Count);
    }

    [Fact]
    public void Answer_to_an_offer_without_crypto_says_so()
    {
        Assert.Equal(SdesError.NoCryptoOffered, SdesNegotiation.Answer([]).Error);
    }

    [Fact]
    public void Offerer_accepts_the_answer_by_tag_and_both_sides_exchange_media()
    {
        var ourOffer = SdesCryptoAttribute.CreateOffer();
        Assert.Equal([1, 2, 3], ourOffer.Select(o => o.Tag));
        Assert.Equal(SrtpProfile.All, ourOffer.Select(o => o.Profile));

        // The peer answers our offer.
        var peer = SdesNegotiation.Answer(ourOffer.Select(o => o.Format()));
        Assert.Equal(SdesError.None,
            SdesNegotiation.AcceptAnswer(ourOffer, peer.Local!.Format(), out var local, out var remote));
        Assert.Equal(1, local!.Tag);

        using var ourOut = local.CreateContext(SrtpDirection.Outbound);
        using var peerIn = peer.Remote!.CreateContext(SrtpDirection.Inbound);
        using var peerOut = peer.Local.CreateContext(SrtpDirection.Outbound);
        using var ourIn = remote!.CreateContext(SrtpDirection.Inbound);
        Assert.Equal(SrtpResult.Ok, Unprotect(peerIn, Protect(ourOut, RtpPacket(1), 172)).Result);
        Assert.Equal(SrtpResult.Ok, Unprotect(ourIn, Protect(peerOut, RtpPacket(1), 172)).Result);
    }

    [Fact]
    public void Offerer_refuses_an_answer_with_an_unknown_tag_or_another_suite()
    {
        var ourOffer = SdesCryptoAttribute.CreateOffer([SrtpProfile.AesCm128HmacSha1Tag80]);
        Assert.Equal(SdesError.AnswerTagNotOffered, SdesNegotiation.AcceptAnswer(ourOffer,
            "9 AES_CM_128_HMAC_SHA1_80 inline:" + Key30, out _, out _));
        Assert.Equal(SdesError.AnswerSuiteMismatch, SdesNegotiation.AcceptAnswer(ourOffer,
            "1 AES_CM_128_HMAC_SHA1_32 inline:" + Key30, out _, out _));
        Assert.Equal(SdesError.BadBase64, SdesNegotiation.AcceptAnswer(ourOffer,
            "1 AES_CM_128_HMAC_SHA1_80 inline:***", out _, out _));
    }
}
