using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text;
using Telephony.Pbx.Rtp.Srtp.Crypto;

namespace Telephony.Pbx.Tests.Rtp.Srtp.Crypto;

public class CryptoPrimitiveTests
{
    public static TheoryData<string> Backends => BackendData.All;

    [Fact]
    public void Aes128Ni_matches_FIPS_197_appendix_C1()
    {
        if (!Aes128Ni.IsSupported)
        {
            return; // nothing to compare on a CPU without AES-NI
        }

        var aes = new Aes128Ni(Hex.Bytes("000102030405060708090a0b0c0d0e0f"));
        var ct = aes.EncryptBlock(Vector128.Create(Hex.Bytes("00112233445566778899aabbccddeeff")));
        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Hex.Of(ToArray(ct)));
    }

    // RFC 3711 Appendix B.2: AES-CM keystream for session key 2B7E...4F3C, salt F0..FD, SSRC 0, index 0.
    [Theory]
    [MemberData(nameof(Backends))]
    public void Counter_mode_matches_RFC_3711_B2_keystream_first_and_last_blocks(string backend)
    {
        using var ctr = SrtpCrypto.CreateCounterMode(Hex.Bytes("2B7E151628AED2A6ABF7158809CF4F3C"), BackendData.Parse(backend));
        var iv = Hex.Bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        var keystream = new byte[0xFF02 * 16];
        ctr.XorKeystream(iv, keystream);
        Assert.Equal(
            "e03ead0935c95e80e166b16dd92b4eb4" + "d23513162b02d0f72a43a2fe4a5f97ab" + "41e95b3bb0a2e8dd477901e4fca894c0",
            Hex.Of(keystream.AsSpan(0, 48)));
        Assert.Equal(
            "ec8cdf7398607cb0f2d21675ea9ea1e4" + "362b7c3c6773516318a077d7fc5073ae" + "6a2cc3787889374fbeb4c81b17ba6c44",
            Hex.Of(keystream.AsSpan((0xFEFF * 16)..)));
    }

    [Fact]
    public void Counter_mode_backends_agree_on_every_length_0_to_300()
    {
        if (!Aes128Ni.IsSupported)
        {
            return; // nothing to compare on a CPU without AES-NI
        }

        var rng = new Random(3711);
        var key = new byte[16];
        rng.NextBytes(key);
        using var ni = SrtpCrypto.CreateCounterMode(key, SrtpCryptoBackend.Intrinsics);
        using var bcl = SrtpCrypto.CreateCounterMode(key, SrtpCryptoBackend.Bcl);
        for (var length = 0; length <= 300; length++)
        {
            var iv = new byte[16];
            rng.NextBytes(iv.AsSpan(0, 14));
            var a = new byte[length];
            rng.NextBytes(a);
            var b = (byte[])a.Clone();
            ni.XorKeystream(iv, a);
            bcl.XorKeystream(iv, b);
            Assert.Equal(b, a);
        }
    }

    // RFC 2202 §3 test cases 1, 2 and 6 (key longer than a block).
    [Theory]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00")]
    [InlineData("4a656665", "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")]
    [InlineData(/* 80 bytes of 0xaa */ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "Test Using Larger Than Block-Size Key - Hash Key First", "aa4ae5e15272d00e95705637ce8a3b55ed402112")]
    public void Managed_HMAC_SHA1_matches_RFC_2202(string key, string data, string mac)
    {
        using var hmac = new ManagedHmacSha1(Hex.Bytes(key));
        var output = new byte[20];
        hmac.Compute(Encoding.ASCII.GetBytes(data), default, output);
        Assert.Equal(mac, Hex.Of(output));
    }

    [Fact]
    public void Managed_HMAC_SHA1_agrees_with_BCL_for_lengths_0_to_300_and_suffixes_0_to_4()
    {
        var rng = new Random(2104);
        var key = new byte[20];
        rng.NextBytes(key);
        using var managed = new ManagedHmacSha1(key);
        using var bcl = new BclHmacSha1(key);
        var a = new byte[20];
        var b = new byte[20];
        for (var length = 0; length <= 300; length++)
        {
            for (var suffixLength = 0; suffixLength <= 4; suffixLength++)
            {
                var data = new byte[length];
                var suffix = new byte[suffixLength];
                rng.NextBytes(data);
                rng.NextBytes(suffix);
                managed.Compute(data, suffix, a);
                bcl.Compute(data, suffix, b);
                Assert.Equal(b, a);
                Assert.Equal(HMACSHA1.HashData(key, data.Concat(suffix).ToArray()), a);
            }
        }
    }

    [Fact]
    public void AesNi_GCM_agrees_with_BCL_AesGcm_for_data_0_to_100_and_aad_0_to_40()
    {
        if (!Aes128Ni.IsSupported)
        {
            return; // nothing to compare on a CPU without AES-NI
        }

        var rng = new Random(7714);
        var key = new byte[16];
        rng.NextBytes(key);
        using var ni = new AesNiGcm(key);
        using var bcl = new AesGcm(key, 16);
        var nonce = new byte[12];
        for (var length = 0; length <= 100; length++)
        {
            for (var aadLength = 0; aadLength <= 40; aadLength += 4)
            {
                rng.NextBytes(nonce);
                var plain = new byte[length];
                var aad = new byte[aadLength];
                rng.NextBytes(plain);
                rng.NextBytes(aad);
                var expected = new byte[length];
                var expectedTag = new byte[16];
                bcl.Encrypt(nonce, plain, expected, expectedTag, aad);

                var data = (byte[])plain.Clone();
                var tag = new byte[16];
                ni.Encrypt(nonce, data, tag, aad);
                Assert.Equal(expected, data);
                Assert.Equal(expectedTag, tag);
                Assert.True(ni.Decrypt(nonce, data, tag, aad));
                Assert.Equal(plain, data);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void GCM_decrypt_refuses_a_flipped_tag_bit_and_leaves_no_plaintext_claim(string backend)
    {
        using var gcm = SrtpCrypto.CreateGcm(new byte[16], BackendData.Parse(backend));
        var nonce = new byte[12];
        var data = new byte[33];
        var tag = new byte[16];
        gcm.Encrypt(nonce, data, tag, [1, 2, 3]);
        tag[15] ^= 1;
        Assert.False(gcm.Decrypt(nonce, data, tag, [1, 2, 3]));
    }

    private static byte[] ToArray(Vector128<byte> v)
    {
        var bytes = new byte[16];
        v.CopyTo(bytes);
        return bytes;
    }
}
