namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>Why an <c>a=fingerprint</c> value was not accepted (RFC 8122 §5 grammar).</summary>
public enum FingerprintParseError
{
    None = 0,

    /// <summary>Null or blank.</summary>
    Empty,

    /// <summary>No space between the hash function and the fingerprint.</summary>
    MissingFingerprint,

    /// <summary>A hash function this code does not know (or one RFC 8122 forbids: md2, md5).</summary>
    UnsupportedHashFunction,

    /// <summary>Not colon-separated pairs of hex digits.</summary>
    BadHex,

    /// <summary>Number of bytes does not match the hash function.</summary>
    WrongLength,
}
