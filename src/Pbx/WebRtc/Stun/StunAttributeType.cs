namespace Telephony.Pbx.WebRtc.Stun;

/// <summary>
/// STUN attribute types this code knows (RFC 8489 §18.3, RFC 8445 §16.1). Types 0x0000-0x7FFF are
/// comprehension-required, 0x8000-0xFFFF comprehension-optional (RFC 8489 §14).
/// </summary>
public enum StunAttributeType : ushort
{
    MappedAddress = 0x0001,
    Username = 0x0006,
    MessageIntegrity = 0x0008,
    ErrorCode = 0x0009,
    UnknownAttributes = 0x000A,
    Realm = 0x0014,
    Nonce = 0x0015,
    MessageIntegritySha256 = 0x001C,
    XorMappedAddress = 0x0020,

    /// <summary>RFC 8445 §16.1.</summary>
    Priority = 0x0024,

    /// <summary>RFC 8445 §16.1.</summary>
    UseCandidate = 0x0025,

    Software = 0x8022,
    AlternateServer = 0x8023,
    Fingerprint = 0x8028,

    /// <summary>RFC 8445 §16.1.</summary>
    IceControlled = 0x8029,

    /// <summary>RFC 8445 §16.1.</summary>
    IceControlling = 0x802A,
}
