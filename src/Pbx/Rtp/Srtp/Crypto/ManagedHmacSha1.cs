using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>
/// HMAC-SHA1 (RFC 2104) on <see cref="Sha1Block"/>: the inner and outer pad states are computed once per key, so a
/// 172-byte SRTP packet costs four SHA-1 compressions and no native call.
/// </summary>
internal sealed class ManagedHmacSha1 : HmacSha1
{
    private const int MaxSuffix = 32;
    private readonly Sha1Block _inner;
    private readonly Sha1Block _outer;

    public ManagedHmacSha1(ReadOnlySpan<byte> key)
    {
        Span<byte> k = stackalloc byte[Sha1Block.BlockSize];
        k.Clear();
        if (key.Length > Sha1Block.BlockSize)
        {
            SHA1.HashData(key, k);
        }
        else
        {
            key.CopyTo(k);
        }

        Span<byte> pad = stackalloc byte[Sha1Block.BlockSize];
        for (var i = 0; i < pad.Length; i++)
        {
            pad[i] = (byte)(k[i] ^ 0x36);
        }

        _inner = Sha1Block.Initial;
        _inner.Compress(pad);
        for (var i = 0; i < pad.Length; i++)
        {
            pad[i] = (byte)(k[i] ^ 0x5C);
        }

        _outer = Sha1Block.Initial;
        _outer.Compress(pad);
        CryptographicOperations.ZeroMemory(k);
        CryptographicOperations.ZeroMemory(pad);
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Compute(ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix, Span<byte> mac)
    {
        if (suffix.Length > MaxSuffix)
        {
            throw new ArgumentException("Suffix too long.", nameof(suffix));
        }

        var state = _inner;
        var whole = data.Length & ~(Sha1Block.BlockSize - 1);
        state.Compress(data[..whole]);

        // Tail of the data, the suffix, 0x80, zeros and the 64-bit length in bits (the ipad block included).
        Span<byte> last = stackalloc byte[2 * Sha1Block.BlockSize];
        var rest = data.Length - whole;
        data[whole..].CopyTo(last);
        suffix.CopyTo(last[rest..]);
        var used = rest + suffix.Length;
        last[used] = 0x80;
        var blocks = used + 9 <= Sha1Block.BlockSize ? 1 : 2;
        var end = blocks * Sha1Block.BlockSize;
        last[(used + 1)..(end - 8)].Clear();
        var bits = (ulong)(Sha1Block.BlockSize + data.Length + suffix.Length) * 8;
        BinaryPrimitives.WriteUInt64BigEndian(last[(end - 8)..], bits);
        state.Compress(last[..end]);

        // Outer hash: opad state, then the 20-byte inner digest in one padded block.
        Span<byte> outerBlock = last[..Sha1Block.BlockSize];
        state.WriteDigest(outerBlock);
        outerBlock[Sha1Block.DigestSize] = 0x80;
        outerBlock[(Sha1Block.DigestSize + 1)..56].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(outerBlock[56..], (Sha1Block.BlockSize + Sha1Block.DigestSize) * 8);
        var outer = _outer;
        outer.Compress(outerBlock);
        outer.WriteDigest(mac);
    }
}
