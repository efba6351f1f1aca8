namespace Telephony.Pbx.WebRtc.Stun;

/// <summary>Why a datagram was not accepted as a STUN message (RFC 8489 §6.3, §14). Used as a drop-counter index.</summary>
public enum StunParseError
{
    None = 0,

    /// <summary>Shorter than the 20-byte header.</summary>
    TooShort,

    /// <summary>The two most significant bits are not zero (RFC 8489 §6).</summary>
    NotStun,

    /// <summary>The magic cookie is not 0x2112A442 (RFC 8489 §6).</summary>
    BadMagicCookie,

    /// <summary>The message length is not a multiple of 4 (RFC 8489 §6).</summary>
    LengthNotAligned,

    /// <summary>The datagram is shorter than 20 + the message length.</summary>
    Truncated,

    /// <summary>The datagram has bytes past 20 + the message length.</summary>
    LengthMismatch,

    /// <summary>An attribute header, value or padding runs past the end of the message.</summary>
    AttributeTruncated,

    /// <summary>A known attribute has a length its definition does not allow.</summary>
    BadAttributeLength,

    /// <summary>MAPPED-ADDRESS / XOR-MAPPED-ADDRESS with a family other than 0x01 or 0x02 (RFC 8489 §14.1).</summary>
    BadAddressFamily,

    /// <summary>An attribute follows FINGERPRINT, which must be last (RFC 8489 §14.7).</summary>
    AttributeAfterFingerprint,

    /// <summary>The FINGERPRINT value does not match the CRC-32 of the message (RFC 8489 §14.7).</summary>
    FingerprintMismatch,
}
