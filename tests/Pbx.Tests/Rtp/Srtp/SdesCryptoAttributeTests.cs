using Telephony.Pbx.Rtp.Srtp;

namespace Telephony.Pbx.Tests.Rtp.Srtp;

public class SdesCryptoAttributeTests
{
    // RFC 4568 §4 example key-salt (30 bytes).
    private const string Rfc4568Key = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

    [Fact]
    public void Parses_the_RFC_4568_section_4_example_with_lifetime_2_pow_20_and_no_MKI()
    {
        var error = SdesCryptoAttribute.TryParse($"1 AES_CM_128_HMAC_SHA1_80 inline:{Rfc4568Key}|2^20", out var a);
        Assert.Equal(SdesError.None, error);
        Assert.Equal(1, a!.Tag);
        Assert.Same(SrtpProfile.AesCm128HmacSha1Tag80, a.Profile);
        Assert.Equal(16, a.MasterKey.Length);
        Assert.Equal(14, a.MasterSalt.Length);
        Assert.Equal(1L << 20, a.LifetimePackets);
        Assert.Equal(Convert.FromBase64String(Rfc4568Key), a.MasterKey.ToArray().Concat(a.MasterSalt.ToArray()));
    }

    [Theory]
    [InlineData("AES_CM_128_HMAC_SHA1_80")]
    [InlineData("AES_CM_128_HMAC_SHA1_32")]
    [InlineData("AEAD_AES_128_GCM")]
    public void Format_then_parse_round_trips_a_random_key_for_each_suite(string suite)
    {
        Assert.True(SrtpProfile.TryFromSdesName(suite, out var profile));
        var original = SdesCryptoAttribute.CreateRandom(42, profile);
        var text = original.Format();
        Assert.StartsWith($"42 {suite} inline:", text, StringComparison.Ordinal);
        Assert.Equal(SdesError.None, SdesCryptoAttribute.TryParse(text, out var parsed));
        Assert.Equal(original.Tag, parsed!.Tag);
        Assert.Same(original.Profile, parsed.Profile);
        Assert.Equal(original.MasterKey.ToArray(), parsed.MasterKey.ToArray());
        Assert.Equal(original.MasterSalt.ToArray(), parsed.MasterSalt.ToArray());
        Assert.Equal(text, parsed.Format());
    }

    [Fact]
    public void Random_keys_differ_and_ToString_hides_the_key()
    {
        var a = SdesCryptoAttribute.CreateRandom(1, SrtpProfile.AesCm128HmacSha1Tag80);
        var b = SdesCryptoAttribute.CreateRandom(1, SrtpProfile.AesCm128HmacSha1Tag80);
        Assert.NotEqual(a.Format(), b.Format());
        Assert.Equal("1 AES_CM_128_HMAC_SHA1_80 inline:<30 bytes>", a.ToString());
    }

    [Fact]
    public void GCM_key_salt_without_base64_padding_is_accepted()
    {
        var text = SdesCryptoAttribute.CreateRandom(3, SrtpProfile.AeadAes128Gcm).Format();
        Assert.EndsWith("==", text, StringComparison.Ordinal); // 28 bytes
        Assert.Equal(SdesError.None, SdesCryptoAttribute.TryParse(text.TrimEnd('='), out _));
    }

    [Theory]
    [InlineData("|2^31")]
    [InlineData("|1048576")]
    [InlineData("|2^48")]
    public void Large_enough_lifetimes_are_accepted_and_ignored(string lifetime)
    {
        Assert.Equal(SdesError.None,
            SdesCryptoAttribute.TryParse($"1 AES_CM_128_HMAC_SHA1_80 inline:{Rfc4568Key}{lifetime}", out _));
    }

    [Theory]
    [InlineData("", SdesError.Malformed)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80", SdesError.Malformed)]
    [InlineData("x AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key, SdesError.BadTag)]
    [InlineData("1234567890 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key, SdesError.BadTag)]
    [InlineData("1 AES_CM_256_HMAC_SHA1_80 inline:" + Rfc4568Key, SdesError.UnsupportedSuite)]
    [InlineData("1 F8_128_HMAC_SHA1_80 inline:" + Rfc4568Key, SdesError.UnsupportedSuite)]
    [InlineData("1 aes_cm_128_hmac_sha1_80 inline:" + Rfc4568Key, SdesError.UnsupportedSuite)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 uri:http://example.invalid/key", SdesError.UnsupportedKeyMethod)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVm!jkpPywjNWhcYD0mXXtxaVBR", SdesError.BadBase64)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:", SdesError.BadBase64)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0m", SdesError.WrongKeyLength)]
    [InlineData("1 AEAD_AES_128_GCM inline:" + Rfc4568Key, SdesError.WrongKeyLength)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + "|2^20|1:4", SdesError.MkiNotSupported)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + "|1:4", SdesError.MkiNotSupported)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + "|2^20|1:4;inline:" + Rfc4568Key + "|2^20|2:4",
        SdesError.MultipleKeysNotSupported)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + "|2^10", SdesError.LifetimeTooShort)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + "|1000", SdesError.LifetimeTooShort)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + "|2^49", SdesError.BadLifetime)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + "|2^x", SdesError.BadLifetime)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + " UNENCRYPTED_SRTP", SdesError.UnsupportedSessionParameter)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + " UNENCRYPTED_SRTCP", SdesError.UnsupportedSessionParameter)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + " UNAUTHENTICATED_SRTP", SdesError.UnsupportedSessionParameter)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + " KDR=23", SdesError.UnsupportedSessionParameter)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + " FEC_KEY=inline:" + Rfc4568Key, SdesError.UnsupportedSessionParameter)]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Rfc4568Key + " FUTURE_MANDATORY", SdesError.UnsupportedSessionParameter)]
    public void Refuses_each_unsupported_or_bad_line_with_its_reason(string value, SdesError expected)
    {
        Assert.Equal(expected, SdesCryptoAttribute.TryParse(value, out var attribute));
        Assert.Null(attribute);
    }

    [Theory]
    [InlineData(" WSH=128")]
    [InlineData(" FEC_ORDER=FEC_SRTP")]
    [InlineData(" -VENDOR_HINT=1")]
    [InlineData(" WSH=64 -X")]
    public void Window_size_hint_FEC_order_and_dash_extensions_are_accepted(string sessionParams)
    {
        Assert.Equal(SdesError.None,
            SdesCryptoAttribute.TryParse($"7 AES_CM_128_HMAC_SHA1_32 inline:{Rfc4568Key}{sessionParams}", out var a));
        Assert.Same(SrtpProfile.AesCm128HmacSha1Tag32, a!.Profile);
    }

    [Fact]
    public void Parse_never_throws_on_mutated_lines()
    {
        var line = $"1 AES_CM_128_HMAC_SHA1_80 inline:{Rfc4568Key}|2^20 WSH=64";
        var rng = new Random(4568);
        const string alphabet = " |:;^=-_0123456789ABCxyz+/\t";
        for (var i = 0; i < 5000; i++)
        {
            var chars = line.ToCharArray();
            for (var f = rng.Next(1, 4); f > 0; f--)
            {
                chars[rng.Next(chars.Length)] = alphabet[rng.Next(alphabet.Length)];
            }

            var cut = rng.Next(3) == 0 ? rng.Next(chars.Length) : chars.Length;
            var error = SdesCryptoAttribute.TryParse(new string(chars, 0, cut), out var attribute);
            Assert.Equal(error == SdesError.None, attribute is not null);
        }
    }
}
