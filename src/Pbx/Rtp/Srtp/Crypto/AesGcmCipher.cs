namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>
/// AEAD_AES_128_GCM (RFC 5116 §5.1, NIST SP 800-38D) with a 12-byte nonce and a 16-byte tag, in place, as SRTP and
/// SRTCP use it (RFC 7714 §8, §9). Keyed once; implementations allocate nothing per call.
/// </summary>
internal abstract class AesGcmCipher : IDisposable
{
    public const int NonceLength = 12;
    public const int TagLength = 16;

    /// <summary>Encrypts <paramref name="data"/> in place and writes the tag over <paramref name="aad"/> and the ciphertext.</summary>
    public abstract void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad);

    /// <summary>Checks the tag and, only if it matches, decrypts <paramref name="data"/> in place.</summary>
    public abstract bool Decrypt(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag,
        ReadOnlySpan<byte> aad);

    public virtual void Dispose()
    {
    }
}
