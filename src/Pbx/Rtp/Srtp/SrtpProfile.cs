using System.Diagnostics.CodeAnalysis;

namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// An SRTP protection profile: the transforms and the key, salt and tag lengths of RFC 3711 §4.1.1/§4.2 as named by
/// SDES crypto suites (RFC 4568 §6.2) and DTLS-SRTP protection profiles (RFC 5764 §4.1.2), plus AEAD_AES_128_GCM
/// (RFC 7714 §12, §14). Instances are the three static profiles; compare them by reference.
/// </summary>
public sealed class SrtpProfile
{
    private SrtpProfile(string sdesName, ushort dtlsProtectionProfileId, bool isAead, int masterSaltLength,
        int authKeyLength, int rtpAuthTagLength, int rtcpAuthTagLength)
    {
        SdesName = sdesName;
        DtlsProtectionProfileId = dtlsProtectionProfileId;
        IsAead = isAead;
        MasterSaltLength = masterSaltLength;
        AuthKeyLength = authKeyLength;
        RtpAuthTagLength = rtpAuthTagLength;
        RtcpAuthTagLength = rtcpAuthTagLength;
    }

    /// <summary>AES-128 counter mode, HMAC-SHA1 with an 80-bit tag (RFC 4568 §6.2.1; DTLS-SRTP 0x0001).</summary>
    public static SrtpProfile AesCm128HmacSha1Tag80 { get; } =
        new("AES_CM_128_HMAC_SHA1_80", 0x0001, isAead: false, 14, 20, 10, 10);

    /// <summary>
    /// AES-128 counter mode, HMAC-SHA1 with a 32-bit SRTP tag (RFC 4568 §6.2.2; DTLS-SRTP 0x0002). SRTCP keeps the
    /// 80-bit tag (RFC 5764 §4.1.2: srtcp_auth_tag_length 80).
    /// </summary>
    public static SrtpProfile AesCm128HmacSha1Tag32 { get; } =
        new("AES_CM_128_HMAC_SHA1_32", 0x0002, isAead: false, 14, 20, 4, 10);

    /// <summary>AES-128-GCM, 16-byte tag, 12-byte salt, no separate authentication key (RFC 7714 §12; DTLS-SRTP 0x0007).</summary>
    public static SrtpProfile AeadAes128Gcm { get; } =
        new("AEAD_AES_128_GCM", 0x0007, isAead: true, 12, 0, 16, 16);

    /// <summary>Every supported profile, in our order of preference for offers (the most widely deployed first).</summary>
    public static IReadOnlyList<SrtpProfile> All { get; } = [AesCm128HmacSha1Tag80, AesCm128HmacSha1Tag32, AeadAes128Gcm];

    /// <summary>The RFC 4568 crypto-suite name, e.g. <c>AES_CM_128_HMAC_SHA1_80</c>.</summary>
    public string SdesName { get; }

    /// <summary>The RFC 5764 §4.1.2 / RFC 7714 §14.2 SRTPProtectionProfile value.</summary>
    public ushort DtlsProtectionProfileId { get; }

    /// <summary>True for AEAD (GCM): one transform encrypts and authenticates, and the SRTCP tag precedes the index.</summary>
    public bool IsAead { get; }

    /// <summary>Master (and session encryption) key length in bytes: 16 (AES-128) for every profile here.</summary>
    public int MasterKeyLength => 16;

    /// <summary>Master (and session) salt length in bytes: 14 (112 bits) for AES-CM, 12 (96 bits) for GCM.</summary>
    public int MasterSaltLength { get; }

    /// <summary>Session authentication key length in bytes (160-bit HMAC-SHA1 key), 0 for AEAD.</summary>
    public int AuthKeyLength { get; }

    /// <summary>Bytes appended to an SRTP packet (the authentication tag).</summary>
    public int RtpAuthTagLength { get; }

    /// <summary>Bytes of the SRTCP authentication tag.</summary>
    public int RtcpAuthTagLength { get; }

    /// <summary>Bytes <see cref="SrtpContext.ProtectRtp"/> adds: the buffer must have this much room past the packet.</summary>
    public int RtpOverhead => RtpAuthTagLength;

    /// <summary>Bytes <see cref="SrtpContext.ProtectRtcp"/> adds: the tag and the 4-byte E flag + SRTCP index.</summary>
    public int RtcpOverhead => RtcpAuthTagLength + 4;

    /// <summary>Length of the base64 key-salt of an SDES <c>inline:</c> key (RFC 4568 §6.1).</summary>
    public int SdesKeySaltLength => MasterKeyLength + MasterSaltLength;

    /// <summary>Length of the DTLS-SRTP exporter output for this profile (RFC 5764 §4.2): two keys and two salts.</summary>
    public int DtlsKeyingMaterialLength => 2 * (MasterKeyLength + MasterSaltLength);

    /// <summary>Finds a profile by its RFC 4568 crypto-suite name (case sensitive, as the grammar is).</summary>
    public static bool TryFromSdesName(string name, [NotNullWhen(true)] out SrtpProfile? profile)
    {
        profile = All.FirstOrDefault(p => string.Equals(p.SdesName, name, StringComparison.Ordinal));
        return profile is not null;
    }

    /// <summary>Finds a profile by its DTLS-SRTP protection profile id (RFC 5764 §4.1.2, RFC 7714 §14.2).</summary>
    public static bool TryFromDtlsProtectionProfileId(ushort id, [NotNullWhen(true)] out SrtpProfile? profile)
    {
        profile = All.FirstOrDefault(p => p.DtlsProtectionProfileId == id);
        return profile is not null;
    }

    public override string ToString() => SdesName;
}
