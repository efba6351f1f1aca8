using Telephony.Pbx.Rtp.Srtp;

namespace Telephony.Pbx.Tests.Rtp.Srtp;

public class SrtpKeyDerivationTests
{
    // RFC 3711 Appendix B.3: master key E1F9...4139, master salt 0EC6...ABE6, index 0, kdr 0.
    [Theory]
    [InlineData(SrtpKeyLabel.RtpEncryption, "C61E7A93744F39EE10734AFE3FF7A087")]
    [InlineData(SrtpKeyLabel.RtpSalt, "30CBBC08863D8C85D49DB34A9AE1")]
    [InlineData(SrtpKeyLabel.RtpAuthentication, "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4")]
    [InlineData(SrtpKeyLabel.RtpAuthentication,
        "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE" +
        "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25" +
        "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2")]
    public void Derives_the_RFC_3711_B3_session_keys(SrtpKeyLabel label, string expected)
    {
        var output = new byte[expected.Length / 2];
        SrtpKeyDerivation.DeriveSessionKey(SrtpTestPackets.MasterKey, SrtpTestPackets.MasterSalt14, label, output);
        Assert.Equal(expected, Convert.ToHexString(output));
    }

    [Fact]
    public void SRTCP_labels_3_to_5_give_keys_different_from_the_SRTP_ones()
    {
        var rtp = new byte[16];
        var rtcp = new byte[16];
        SrtpKeyDerivation.DeriveSessionKey(SrtpTestPackets.MasterKey, SrtpTestPackets.MasterSalt14,
            SrtpKeyLabel.RtpEncryption, rtp);
        SrtpKeyDerivation.DeriveSessionKey(SrtpTestPackets.MasterKey, SrtpTestPackets.MasterSalt14,
            SrtpKeyLabel.RtcpEncryption, rtcp);
        Assert.NotEqual(rtp, rtcp);
    }

    // RFC 7714 §11: the AES-CM PRF with a 96-bit master salt, taken as the high 96 of the 112 bits.
    [Fact]
    public void GCM_96_bit_master_salt_is_the_112_bit_salt_with_two_zero_bytes_appended()
    {
        var salt12 = Hex.Bytes("517569642070726f2071756f");
        var salt14 = Hex.Bytes("517569642070726f2071756f0000");
        foreach (var label in Enum.GetValues<SrtpKeyLabel>())
        {
            var a = new byte[16];
            var b = new byte[16];
            SrtpKeyDerivation.DeriveSessionKey(SrtpTestPackets.MasterKey, salt12, label, a);
            SrtpKeyDerivation.DeriveSessionKey(SrtpTestPackets.MasterKey, salt14, label, b);
            Assert.Equal(b, a);
        }
    }

    [Fact]
    public void Refuses_a_master_key_that_is_not_16_bytes()
    {
        Assert.Throws<ArgumentException>(() => SrtpKeyDerivation.DeriveSessionKey(
            new byte[15], SrtpTestPackets.MasterSalt14, SrtpKeyLabel.RtpEncryption, new byte[16]));
    }
}
