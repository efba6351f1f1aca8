namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>
/// AES-128 in counter mode as SRTP uses it (RFC 3711 §4.1.1): XOR the data with E(k, IV), E(k, IV+1)... Keyed once;
/// implementations allocate nothing per call.
/// </summary>
internal abstract class AesCounterMode : IDisposable
{
    /// <summary>XORs <paramref name="data"/> in place with the keystream that starts at the 16-byte <paramref name="iv"/>.</summary>
    public abstract void XorKeystream(ReadOnlySpan<byte> iv, Span<byte> data);

    public virtual void Dispose()
    {
    }
}
