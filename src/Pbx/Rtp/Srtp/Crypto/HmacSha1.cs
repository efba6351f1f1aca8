namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>
/// HMAC-SHA1 (RFC 2104) over <c>data || suffix</c>, keyed once: the SRTP authentication transform of RFC 3711 §4.2.1
/// (the suffix is the ROC for SRTP, empty for SRTCP). Implementations allocate nothing per call.
/// </summary>
internal abstract class HmacSha1 : IDisposable
{
    public const int MacLength = 20;

    /// <summary>Writes the 20-byte MAC of <paramref name="data"/> followed by <paramref name="suffix"/> (at most 32 bytes).</summary>
    public abstract void Compute(ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix, Span<byte> mac);

    public virtual void Dispose()
    {
    }
}
