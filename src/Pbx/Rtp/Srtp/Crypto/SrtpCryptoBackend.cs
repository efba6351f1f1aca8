namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>Which implementation of the SRTP ciphers (RFC 3711 §4, RFC 7714) a context uses.</summary>
internal enum SrtpCryptoBackend
{
    /// <summary>Intrinsics when the CPU has AES-NI and PCLMULQDQ, the BCL otherwise.</summary>
    Auto = 0,

    /// <summary>AES-NI, PCLMULQDQ and the managed SHA-1: about 1 µs per packet less than the BCL on OpenSSL 3.</summary>
    Intrinsics,

    /// <summary>The BCL (OpenSSL on Linux): portable, 0 B per packet, slower per call.</summary>
    Bcl,
}
