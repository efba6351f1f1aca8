using Telephony.Pbx.Rtp.Srtp;
using Telephony.Pbx.Tests.Rtp.Srtp.Crypto;

namespace Telephony.Pbx.Tests.Rtp.Srtp;

/// <summary>RFC 7714 §16.1 (SRTP) and §17 (SRTCP, encrypted and E = 0) AEAD_AES_128_GCM vectors, which state session keys.</summary>
public class SrtpRfc7714VectorTests
{
    private const string Key = "000102030405060708090a0b0c0d0e0f";
    private const string Salt = "517569642070726f2071756f"; // "Quid pro quo"

    // §16.1: header 8040f17b 8041f8d3 5501a0b2 (seq 0xf17b, SSRC 0x5501a0b2, ROC 0),
    // payload "Gallia est omnis divisa in partes tres".
    private const string RtpPlain =
        "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573";

    private const string RtpProtected =
        "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf" +
        "8833899d 7f27beb1 6a9152cf 765ee439 0cce";

    // §17.1: sender report of SSRC "Mars" (0x4d617273), SRTCP index 0x5d4.
    private const string RtcpPlain =
        "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef";

    private const string RtcpProtected =
        "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded" +
        "0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4";

    // §17: the same packet authenticated only (E = 0): packet || tag || 000005d4.
    private const string RtcpAuthenticatedOnly =
        "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef" +
        "841dd968 3dd78ec9 2ae58790 125f62b3 000005d4";

    public static TheoryData<string> Backends => BackendData.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public void Section_16_1_SRTP_encryption_is_byte_exact(string backend)
    {
        using var context = Create(SrtpDirection.Outbound, backend);
        var plain = Hex.Bytes(RtpPlain);
        var buffer = new byte[plain.Length + 16];
        plain.CopyTo(buffer, 0);
        Assert.Equal(SrtpResult.Ok, context.ProtectRtp(buffer, plain.Length, out var length));
        Assert.Equal(Hex.Of(Hex.Bytes(RtpProtected)), Hex.Of(buffer.AsSpan(0, length)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Section_16_1_SRTP_decryption_restores_the_packet(string backend)
    {
        using var context = Create(SrtpDirection.Inbound, backend);
        var buffer = Hex.Bytes(RtpProtected);
        Assert.Equal(SrtpResult.Ok, context.UnprotectRtp(buffer, buffer.Length, out var length));
        Assert.Equal(Hex.Of(Hex.Bytes(RtpPlain)), Hex.Of(buffer.AsSpan(0, length)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Section_16_1_SRTP_with_one_ciphertext_bit_flipped_fails_authentication(string backend)
    {
        using var context = Create(SrtpDirection.Inbound, backend);
        var buffer = Hex.Bytes(RtpProtected);
        buffer[20] ^= 0x01;
        Assert.Equal(SrtpResult.AuthenticationFailed, context.UnprotectRtp(buffer, buffer.Length, out _));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Section_17_1_SRTCP_encryption_with_index_0x5d4_is_byte_exact(string backend)
    {
        using var context = Create(SrtpDirection.Outbound, backend);
        context.SetNextRtcpIndex(0x4d617273, 0x5d4);
        var plain = Hex.Bytes(RtcpPlain);
        var buffer = new byte[plain.Length + 20];
        plain.CopyTo(buffer, 0);
        Assert.Equal(SrtpResult.Ok, context.ProtectRtcp(buffer, plain.Length, out var length));
        Assert.Equal(Hex.Of(Hex.Bytes(RtcpProtected)), Hex.Of(buffer.AsSpan(0, length)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Section_17_1_SRTCP_decryption_restores_the_packet(string backend)
    {
        using var context = Create(SrtpDirection.Inbound, backend);
        var buffer = Hex.Bytes(RtcpProtected);
        Assert.Equal(SrtpResult.Ok, context.UnprotectRtcp(buffer, buffer.Length, out var length));
        Assert.Equal(Hex.Of(Hex.Bytes(RtcpPlain)), Hex.Of(buffer.AsSpan(0, length)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Section_17_SRTCP_authenticated_only_E_0_is_accepted_unencrypted(string backend)
    {
        using var context = Create(SrtpDirection.Inbound, backend);
        var buffer = Hex.Bytes(RtcpAuthenticatedOnly);
        Assert.Equal(SrtpResult.Ok, context.UnprotectRtcp(buffer, buffer.Length, out var length));
        Assert.Equal(Hex.Of(Hex.Bytes(RtcpPlain)), Hex.Of(buffer.AsSpan(0, length)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Section_17_SRTCP_with_the_E_flag_forged_to_1_fails_authentication(string backend)
    {
        using var context = Create(SrtpDirection.Inbound, backend);
        var buffer = Hex.Bytes(RtcpAuthenticatedOnly);
        buffer[^4] |= 0x80;
        Assert.Equal(SrtpResult.AuthenticationFailed, context.UnprotectRtcp(buffer, buffer.Length, out _));
    }

    private static SrtpContext Create(SrtpDirection direction, string backend)
    {
        SrtpSessionKeys Keys() => new(Hex.Bytes(Key), Hex.Bytes(Salt), []);
        return SrtpContext.CreateWithSessionKeys(SrtpProfile.AeadAes128Gcm, direction, Keys(), Keys(),
            BackendData.Parse(backend));
    }
}
