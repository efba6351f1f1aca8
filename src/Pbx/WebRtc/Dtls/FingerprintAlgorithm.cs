namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// Hash functions of an SDP <c>a=fingerprint</c> (RFC 8122 §5, IANA "Hash Function Textual Names"). WebRTC uses
/// sha-256 (RFC 8827 §6.5); the others are parsed and checked for interoperability.
/// </summary>
public enum FingerprintAlgorithm
{
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}
