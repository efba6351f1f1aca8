using System.Security.Cryptography;

namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>HMAC-SHA1 (RFC 2104) on the BCL's <see cref="IncrementalHash"/>: the fallback and cross-check backend.</summary>
internal sealed class BclHmacSha1 : HmacSha1
{
    private readonly IncrementalHash _hash;

    public BclHmacSha1(ReadOnlySpan<byte> key)
    {
        _hash = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
    }

    public override void Compute(ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix, Span<byte> mac)
    {
        _hash.AppendData(data);
        _hash.AppendData(suffix);
        _hash.TryGetHashAndReset(mac, out _);
    }

    public override void Dispose() => _hash.Dispose();
}
