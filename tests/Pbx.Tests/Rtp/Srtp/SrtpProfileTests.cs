using Telephony.Pbx.Rtp.Srtp;

namespace Telephony.Pbx.Tests.Rtp.Srtp;

public class SrtpProfileTests
{
    // RFC 4568 §6.2, RFC 5764 §4.1.2, RFC 7714 §12 and §14.2.
    [Theory]
    [InlineData("AES_CM_128_HMAC_SHA1_80", 0x0001, 16, 14, 20, 10, 10)]
    [InlineData("AES_CM_128_HMAC_SHA1_32", 0x0002, 16, 14, 20, 4, 10)]
    [InlineData("AEAD_AES_128_GCM", 0x0007, 16, 12, 0, 16, 16)]
    public void Profiles_have_the_RFC_lengths_and_ids(string name, int dtlsId, int key, int salt, int authKey,
        int rtpTag, int rtcpTag)
    {
        Assert.True(SrtpProfile.TryFromSdesName(name, out var p));
        Assert.True(SrtpProfile.TryFromDtlsProtectionProfileId((ushort)dtlsId, out var byId));
        Assert.Same(p, byId);
        Assert.Equal((key, salt, authKey, rtpTag, rtcpTag),
            (p.MasterKeyLength, p.MasterSaltLength, p.AuthKeyLength, p.RtpAuthTagLength, p.RtcpAuthTagLength));
        Assert.Equal(rtcpTag + 4, p.RtcpOverhead);
        Assert.Equal(2 * (key + salt), p.DtlsKeyingMaterialLength);
        Assert.Equal(name, p.ToString());
    }

    [Fact]
    public void Unknown_names_and_ids_are_not_found()
    {
        Assert.False(SrtpProfile.TryFromSdesName("AES_256_CM_HMAC_SHA1_80", out _));
        Assert.False(SrtpProfile.TryFromDtlsProtectionProfileId(0x0008, out _));
    }
}
