using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>
/// The SHA-1 chaining state and compression function (FIPS 180-4 §6.1.2), exposed so that HMAC-SHA1 (RFC 2104) can
/// start every packet from the precomputed <c>key XOR ipad</c> / <c>key XOR opad</c> states instead of hashing the
/// pads again: two compressions saved per packet, no native call, no allocation.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Sha1Block
{
    public const int BlockSize = 64;
    public const int DigestSize = 20;

    private uint _h0;
    private uint _h1;
    private uint _h2;
    private uint _h3;
    private uint _h4;

    /// <summary>The FIPS 180-4 initial hash value.</summary>
    public static Sha1Block Initial => new()
    {
        _h0 = 0x67452301,
        _h1 = 0xEFCDAB89,
        _h2 = 0x98BADCFE,
        _h3 = 0x10325476,
        _h4 = 0xC3D2E1F0,
    };

    public readonly void WriteDigest(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, _h0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], _h1);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], _h2);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], _h3);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _h4);
    }

    /// <summary>Compresses every whole 64-byte block of <paramref name="data"/> (its length must be a multiple of 64).</summary>
    [SkipLocalsInit]
    public void Compress(ReadOnlySpan<byte> data)
    {
        if (data.Length % BlockSize != 0)
        {
            throw new ArgumentException("Whole 64-byte blocks only.", nameof(data));
        }

        Schedule w = default;
        ref var w0 = ref w[0];
        ref var src = ref MemoryMarshal.GetReference(data);
        for (var offset = 0; offset < data.Length; offset += BlockSize)
        {
            for (var i = 0; i < 16; i++)
            {
                Unsafe.Add(ref w0, i) = BinaryPrimitives.ReverseEndianness(
                    Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref src, offset + (i * 4))));
            }

            uint a = _h0, b = _h1, c = _h2, d = _h3, e = _h4;
            int t;
            for (t = 0; t < 16; t++)
            {
                Round(ref a, ref b, ref c, ref d, ref e, ((b & c) | (~b & d)) + 0x5A827999 + Unsafe.Add(ref w0, t));
            }

            for (; t < 20; t++)
            {
                Round(ref a, ref b, ref c, ref d, ref e, ((b & c) | (~b & d)) + 0x5A827999 + Next(ref w0, t));
            }

            for (; t < 40; t++)
            {
                Round(ref a, ref b, ref c, ref d, ref e, (b ^ c ^ d) + 0x6ED9EBA1 + Next(ref w0, t));
            }

            for (; t < 60; t++)
            {
                Round(ref a, ref b, ref c, ref d, ref e, ((b & c) | (b & d) | (c & d)) + 0x8F1BBCDC + Next(ref w0, t));
            }

            for (; t < 80; t++)
            {
                Round(ref a, ref b, ref c, ref d, ref e, (b ^ c ^ d) + 0xCA62C1D6 + Next(ref w0, t));
            }

            _h0 += a;
            _h1 += b;
            _h2 += c;
            _h3 += d;
            _h4 += e;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref uint a, ref uint b, ref uint c, ref uint d, ref uint e, uint fkw)
    {
        var temp = BitOperations.RotateLeft(a, 5) + fkw + e;
        e = d;
        d = c;
        c = BitOperations.RotateLeft(b, 30);
        b = a;
        a = temp;
    }

    // The message schedule kept as a 16-word ring: W[t] = ROTL1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Next(ref uint w0, int t)
    {
        var value = BitOperations.RotateLeft(
            Unsafe.Add(ref w0, (t - 3) & 15) ^ Unsafe.Add(ref w0, (t - 8) & 15)
            ^ Unsafe.Add(ref w0, (t - 14) & 15) ^ Unsafe.Add(ref w0, t & 15), 1);
        Unsafe.Add(ref w0, t & 15) = value;
        return value;
    }

    [InlineArray(16)]
    private struct Schedule
    {
        private uint _element;
    }
}
