namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>Master key and salt lengths of each <see cref="SrtpProfile"/> (RFC 5764 §4.1.2, RFC 7714 §12).</summary>
public static class SrtpProfileExtensions
{
    /// <summary>SRTP master key length in bytes.</summary>
    public static int GetMasterKeyLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 or SrtpProfile.Aes128CmHmacSha1_32 or SrtpProfile.AeadAes128Gcm => 16,
        SrtpProfile.AeadAes256Gcm => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, null),
    };

    /// <summary>SRTP master salt length in bytes (14 for AES-CM, 12 for AEAD GCM).</summary>
    public static int GetMasterSaltLength(this SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 or SrtpProfile.Aes128CmHmacSha1_32 => 14,
        SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, null),
    };

    /// <summary>Bytes to export with <c>EXTRACTOR-dtls_srtp</c>: 2 × (key + salt), 60 for AES-CM-128, 56 for AEAD-128.</summary>
    public static int GetKeyingMaterialLength(this SrtpProfile profile) =>
        2 * (profile.GetMasterKeyLength() + profile.GetMasterSaltLength());
}
