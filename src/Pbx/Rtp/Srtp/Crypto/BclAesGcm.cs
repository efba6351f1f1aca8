using System.Security.Cryptography;

namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>
/// AES-128-GCM on the BCL's <see cref="AesGcm"/> span overloads: the fallback and cross-check backend. A forged packet
/// costs an <see cref="AuthenticationTagMismatchException"/> here (the BCL has no non-throwing decrypt), which is why
/// the AES-NI backend is preferred wherever it runs.
/// </summary>
internal sealed class BclAesGcm : AesGcmCipher
{
    private readonly AesGcm _gcm;

    public BclAesGcm(ReadOnlySpan<byte> key)
    {
        _gcm = new AesGcm(key, TagLength);
    }

    public override void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad) =>
        _gcm.Encrypt(nonce, data, data, tag, aad);

    public override bool Decrypt(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag,
        ReadOnlySpan<byte> aad)
    {
        try
        {
            _gcm.Decrypt(nonce, data, tag, data, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public override void Dispose() => _gcm.Dispose();
}
