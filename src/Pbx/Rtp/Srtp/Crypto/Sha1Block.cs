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
/// <remarks>
/// The 80 rounds are written out (generated, not hand-typed): the five working variables change roles by name every
/// round instead of being shifted, and the 16-word message schedule lives in locals, so the JIT keeps it all in
/// registers. Checked against RFC 2202 and the BCL's HMACSHA1 on every length 0-300.
/// </remarks>
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compress(ReadOnlySpan<byte> data)
    {
        if (data.Length % BlockSize != 0)
        {
            throw new ArgumentException("Whole 64-byte blocks only.", nameof(data));
        }

        for (var offset = 0; offset < data.Length; offset += BlockSize)
        {
            var block = data.Slice(offset, BlockSize);
            var w0 = BinaryPrimitives.ReadUInt32BigEndian(block[0..]);
            var w1 = BinaryPrimitives.ReadUInt32BigEndian(block[4..]);
            var w2 = BinaryPrimitives.ReadUInt32BigEndian(block[8..]);
            var w3 = BinaryPrimitives.ReadUInt32BigEndian(block[12..]);
            var w4 = BinaryPrimitives.ReadUInt32BigEndian(block[16..]);
            var w5 = BinaryPrimitives.ReadUInt32BigEndian(block[20..]);
            var w6 = BinaryPrimitives.ReadUInt32BigEndian(block[24..]);
            var w7 = BinaryPrimitives.ReadUInt32BigEndian(block[28..]);
            var w8 = BinaryPrimitives.ReadUInt32BigEndian(block[32..]);
            var w9 = BinaryPrimitives.ReadUInt32BigEndian(block[36..]);
            var w10 = BinaryPrimitives.ReadUInt32BigEndian(block[40..]);
            var w11 = BinaryPrimitives.ReadUInt32BigEndian(block[44..]);
            var w12 = BinaryPrimitives.ReadUInt32BigEndian(block[48..]);
            var w13 = BinaryPrimitives.ReadUInt32BigEndian(block[52..]);
            var w14 = BinaryPrimitives.ReadUInt32BigEndian(block[56..]);
            var w15 = BinaryPrimitives.ReadUInt32BigEndian(block[60..]);
            uint a = _h0, b = _h1, c = _h2, d = _h3, e = _h4;

            e += BitOperations.RotateLeft(a, 5) + (d ^ (b & (c ^ d))) + 0x5A827999 + w0;
            b = BitOperations.RotateLeft(b, 30);
            d += BitOperations.RotateLeft(e, 5) + (c ^ (a & (b ^ c))) + 0x5A827999 + w1;
            a = BitOperations.RotateLeft(a, 30);
            c += BitOperations.RotateLeft(d, 5) + (b ^ (e & (a ^ b))) + 0x5A827999 + w2;
            e = BitOperations.RotateLeft(e, 30);
            b += BitOperations.RotateLeft(c, 5) + (a ^ (d & (e ^ a))) + 0x5A827999 + w3;
            d = BitOperations.RotateLeft(d, 30);
            a += BitOperations.RotateLeft(b, 5) + (e ^ (c & (d ^ e))) + 0x5A827999 + w4;
            c = BitOperations.RotateLeft(c, 30);
            e += BitOperations.RotateLeft(a, 5) + (d ^ (b & (c ^ d))) + 0x5A827999 + w5;
            b = BitOperations.RotateLeft(b, 30);
            d += BitOperations.RotateLeft(e, 5) + (c ^ (a & (b ^ c))) + 0x5A827999 + w6;
            a = BitOperations.RotateLeft(a, 30);
            c += BitOperations.RotateLeft(d, 5) + (b ^ (e & (a ^ b))) + 0x5A827999 + w7;
            e = BitOperations.RotateLeft(e, 30);
            b += BitOperations.RotateLeft(c, 5) + (a ^ (d & (e ^ a))) + 0x5A827999 + w8;
            d = BitOperations.RotateLeft(d, 30);
            a += BitOperations.RotateLeft(b, 5) + (e ^ (c & (d ^ e))) + 0x5A827999 + w9;
            c = BitOperations.RotateLeft(c, 30);
            e += BitOperations.RotateLeft(a, 5) + (d ^ (b & (c ^ d))) + 0x5A827999 + w10;
            b = BitOperations.RotateLeft(b, 30);
            d += BitOperations.RotateLeft(e, 5) + (c ^ (a & (b ^ c))) + 0x5A827999 + w11;
            a = BitOperations.RotateLeft(a, 30);
            c += BitOperations.RotateLeft(d, 5) + (b ^ (e & (a ^ b))) + 0x5A827999 + w12;
            e = BitOperations.RotateLeft(e, 30);
            b += BitOperations.RotateLeft(c, 5) + (a ^ (d & (e ^ a))) + 0x5A827999 + w13;
            d = BitOperations.RotateLeft(d, 30);
            a += BitOperations.RotateLeft(b, 5) + (e ^ (c & (d ^ e))) + 0x5A827999 + w14;
            c = BitOperations.RotateLeft(c, 30);
            e += BitOperations.RotateLeft(a, 5) + (d ^ (b & (c ^ d))) + 0x5A827999 + w15;
            b = BitOperations.RotateLeft(b, 30);
            w0 = BitOperations.RotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
            d += BitOperations.RotateLeft(e, 5) + (c ^ (a & (b ^ c))) + 0x5A827999 + w0;
            a = BitOperations.RotateLeft(a, 30);
            w1 = BitOperations.RotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
            c += BitOperations.RotateLeft(d, 5) + (b ^ (e & (a ^ b))) + 0x5A827999 + w1;
            e = BitOperations.RotateLeft(e, 30);
            w2 = BitOperations.RotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
            b += BitOperations.RotateLeft(c, 5) + (a ^ (d & (e ^ a))) + 0x5A827999 + w2;
            d = BitOperations.RotateLeft(d, 30);
            w3 = BitOperations.RotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
            a += BitOperations.RotateLeft(b, 5) + (e ^ (c & (d ^ e))) + 0x5A827999 + w3;
            c = BitOperations.RotateLeft(c, 30);
            w4 = BitOperations.RotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
            e += BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + 0x6ED9EBA1 + w4;
            b = BitOperations.RotateLeft(b, 30);
            w5 = BitOperations.RotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
            d += BitOperations.RotateLeft(e, 5) + (a ^ b ^ c) + 0x6ED9EBA1 + w5;
            a = BitOperations.RotateLeft(a, 30);
            w6 = BitOperations.RotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
            c += BitOperations.RotateLeft(d, 5) + (e ^ a ^ b) + 0x6ED9EBA1 + w6;
            e = BitOperations.RotateLeft(e, 30);
            w7 = BitOperations.RotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
            b += BitOperations.RotateLeft(c, 5) + (d ^ e ^ a) + 0x6ED9EBA1 + w7;
            d = BitOperations.RotateLeft(d, 30);
            w8 = BitOperations.RotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
            a += BitOperations.RotateLeft(b, 5) + (c ^ d ^ e) + 0x6ED9EBA1 + w8;
            c = BitOperations.RotateLeft(c, 30);
            w9 = BitOperations.RotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
            e += BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + 0x6ED9EBA1 + w9;
            b = BitOperations.RotateLeft(b, 30);
            w10 = BitOperations.RotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
            d += BitOperations.RotateLeft(e, 5) + (a ^ b ^ c) + 0x6ED9EBA1 + w10;
            a = BitOperations.RotateLeft(a, 30);
            w11 = BitOperations.RotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
            c += BitOperations.RotateLeft(d, 5) + (e ^ a ^ b) + 0x6ED9EBA1 + w11;
            e = BitOperations.RotateLeft(e, 30);
            w12 = BitOperations.RotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
            b += BitOperations.RotateLeft(c, 5) + (d ^ e ^ a) + 0x6ED9EBA1 + w12;
            d = BitOperations.RotateLeft(d, 30);
            w13 = BitOperations.RotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
            a += BitOperations.RotateLeft(b, 5) + (c ^ d ^ e) + 0x6ED9EBA1 + w13;
            c = BitOperations.RotateLeft(c, 30);
            w14 = BitOperations.RotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
            e += BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + 0x6ED9EBA1 + w14;
            b = BitOperations.RotateLeft(b, 30);
            w15 = BitOperations.RotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
            d += BitOperations.RotateLeft(e, 5) + (a ^ b ^ c) + 0x6ED9EBA1 + w15;
            a = BitOperations.RotateLeft(a, 30);
            w0 = BitOperations.RotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
            c += BitOperations.RotateLeft(d, 5) + (e ^ a ^ b) + 0x6ED9EBA1 + w0;
            e = BitOperations.RotateLeft(e, 30);
            w1 = BitOperations.RotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
            b += BitOperations.RotateLeft(c, 5) + (d ^ e ^ a) + 0x6ED9EBA1 + w1;
            d = BitOperations.RotateLeft(d, 30);
            w2 = BitOperations.RotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
            a += BitOperations.RotateLeft(b, 5) + (c ^ d ^ e) + 0x6ED9EBA1 + w2;
            c = BitOperations.RotateLeft(c, 30);
            w3 = BitOperations.RotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
            e += BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + 0x6ED9EBA1 + w3;
            b = BitOperations.RotateLeft(b, 30);
            w4 = BitOperations.RotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
            d += BitOperations.RotateLeft(e, 5) + (a ^ b ^ c) + 0x6ED9EBA1 + w4;
            a = BitOperations.RotateLeft(a, 30);
            w5 = BitOperations.RotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
            c += BitOperations.RotateLeft(d, 5) + (e ^ a ^ b) + 0x6ED9EBA1 + w5;
            e = BitOperations.RotateLeft(e, 30);
            w6 = BitOperations.RotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
            b += BitOperations.RotateLeft(c, 5) + (d ^ e ^ a) + 0x6ED9EBA1 + w6;
            d = BitOperations.RotateLeft(d, 30);
            w7 = BitOperations.RotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
            a += BitOperations.RotateLeft(b, 5) + (c ^ d ^ e) + 0x6ED9EBA1 + w7;
            c = BitOperations.RotateLeft(c, 30);
            w8 = BitOperations.RotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
            e += BitOperations.RotateLeft(a, 5) + ((b & c) | (d & (b | c))) + 0x8F1BBCDC + w8;
            b = BitOperations.RotateLeft(b, 30);
            w9 = BitOperations.RotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
            d += BitOperations.RotateLeft(e, 5) + ((a & b) | (c & (a | b))) + 0x8F1BBCDC + w9;
            a = BitOperations.RotateLeft(a, 30);
            w10 = BitOperations.RotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
            c += BitOperations.RotateLeft(d, 5) + ((e & a) | (b & (e | a))) + 0x8F1BBCDC + w10;
            e = BitOperations.RotateLeft(e, 30);
            w11 = BitOperations.RotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
            b += BitOperations.RotateLeft(c, 5) + ((d & e) | (a & (d | e))) + 0x8F1BBCDC + w11;
            d = BitOperations.RotateLeft(d, 30);
            w12 = BitOperations.RotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
            a += BitOperations.RotateLeft(b, 5) + ((c & d) | (e & (c | d))) + 0x8F1BBCDC + w12;
            c = BitOperations.RotateLeft(c, 30);
            w13 = BitOperations.RotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
            e += BitOperations.RotateLeft(a, 5) + ((b & c) | (d & (b | c))) + 0x8F1BBCDC + w13;
            b = BitOperations.RotateLeft(b, 30);
            w14 = BitOperations.RotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
            d += BitOperations.RotateLeft(e, 5) + ((a & b) | (c & (a | b))) + 0x8F1BBCDC + w14;
            a = BitOperations.RotateLeft(a, 30);
            w15 = BitOperations.RotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
            c += BitOperations.RotateLeft(d, 5) + ((e & a) | (b & (e | a))) + 0x8F1BBCDC + w15;
            e = BitOperations.RotateLeft(e, 30);
            w0 = BitOperations.RotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
            b += BitOperations.RotateLeft(c, 5) + ((d & e) | (a & (d | e))) + 0x8F1BBCDC + w0;
            d = BitOperations.RotateLeft(d, 30);
            w1 = BitOperations.RotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
            a += BitOperations.RotateLeft(b, 5) + ((c & d) | (e & (c | d))) + 0x8F1BBCDC + w1;
            c = BitOperations.RotateLeft(c, 30);
            w2 = BitOperations.RotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
            e += BitOperations.RotateLeft(a, 5) + ((b & c) | (d & (b | c))) + 0x8F1BBCDC + w2;
            b = BitOperations.RotateLeft(b, 30);
            w3 = BitOperations.RotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
            d += BitOperations.RotateLeft(e, 5) + ((a & b) | (c & (a | b))) + 0x8F1BBCDC + w3;
            a = BitOperations.RotateLeft(a, 30);
            w4 = BitOperations.RotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
            c += BitOperations.RotateLeft(d, 5) + ((e & a) | (b & (e | a))) + 0x8F1BBCDC + w4;
            e = BitOperations.RotateLeft(e, 30);
            w5 = BitOperations.RotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
            b += BitOperations.RotateLeft(c, 5) + ((d & e) | (a & (d | e))) + 0x8F1BBCDC + w5;
            d = BitOperations.RotateLeft(d, 30);
            w6 = BitOperations.RotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
            a += BitOperations.RotateLeft(b, 5) + ((c & d) | (e & (c | d))) + 0x8F1BBCDC + w6;
            c = BitOperations.RotateLeft(c, 30);
            w7 = BitOperations.RotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
            e += BitOperations.RotateLeft(a, 5) + ((b & c) | (d & (b | c))) + 0x8F1BBCDC + w7;
            b = BitOperations.RotateLeft(b, 30);
            w8 = BitOperations.RotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
            d += BitOperations.RotateLeft(e, 5) + ((a & b) | (c & (a | b))) + 0x8F1BBCDC + w8;
            a = BitOperations.RotateLeft(a, 30);
            w9 = BitOperations.RotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
            c += BitOperations.RotateLeft(d, 5) + ((e & a) | (b & (e | a))) + 0x8F1BBCDC + w9;
            e = BitOperations.RotateLeft(e, 30);
            w10 = BitOperations.RotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
            b += BitOperations.RotateLeft(c, 5) + ((d & e) | (a & (d | e))) + 0x8F1BBCDC + w10;
            d = BitOperations.RotateLeft(d, 30);
            w11 = BitOperations.RotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
            a += BitOperations.RotateLeft(b, 5) + ((c & d) | (e & (c | d))) + 0x8F1BBCDC + w11;
            c = BitOperations.RotateLeft(c, 30);
            w12 = BitOperations.RotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
            e += BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + 0xCA62C1D6 + w12;
            b = BitOperations.RotateLeft(b, 30);
            w13 = BitOperations.RotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
            d += BitOperations.RotateLeft(e, 5) + (a ^ b ^ c) + 0xCA62C1D6 + w13;
            a = BitOperations.RotateLeft(a, 30);
            w14 = BitOperations.RotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
            c += BitOperations.RotateLeft(d, 5) + (e ^ a ^ b) + 0xCA62C1D6 + w14;
            e = BitOperations.RotateLeft(e, 30);
            w15 = BitOperations.RotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
            b += BitOperations.RotateLeft(c, 5) + (d ^ e ^ a) + 0xCA62C1D6 + w15;
            d = BitOperations.RotateLeft(d, 30);
            w0 = BitOperations.RotateLeft(w13 ^ w8 ^ w2 ^ w0, 1);
            a += BitOperations.RotateLeft(b, 5) + (c ^ d ^ e) + 0xCA62C1D6 + w0;
            c = BitOperations.RotateLeft(c, 30);
            w1 = BitOperations.RotateLeft(w14 ^ w9 ^ w3 ^ w1, 1);
            e += BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + 0xCA62C1D6 + w1;
            b = BitOperations.RotateLeft(b, 30);
            w2 = BitOperations.RotateLeft(w15 ^ w10 ^ w4 ^ w2, 1);
            d += BitOperations.RotateLeft(e, 5) + (a ^ b ^ c) + 0xCA62C1D6 + w2;
            a = BitOperations.RotateLeft(a, 30);
            w3 = BitOperations.RotateLeft(w0 ^ w11 ^ w5 ^ w3, 1);
            c += BitOperations.RotateLeft(d, 5) + (e ^ a ^ b) + 0xCA62C1D6 + w3;
            e = BitOperations.RotateLeft(e, 30);
            w4 = BitOperations.RotateLeft(w1 ^ w12 ^ w6 ^ w4, 1);
            b += BitOperations.RotateLeft(c, 5) + (d ^ e ^ a) + 0xCA62C1D6 + w4;
            d = BitOperations.RotateLeft(d, 30);
            w5 = BitOperations.RotateLeft(w2 ^ w13 ^ w7 ^ w5, 1);
            a += BitOperations.RotateLeft(b, 5) + (c ^ d ^ e) + 0xCA62C1D6 + w5;
            c = BitOperations.RotateLeft(c, 30);
            w6 = BitOperations.RotateLeft(w3 ^ w14 ^ w8 ^ w6, 1);
            e += BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + 0xCA62C1D6 + w6;
            b = BitOperations.RotateLeft(b, 30);
            w7 = BitOperations.RotateLeft(w4 ^ w15 ^ w9 ^ w7, 1);
            d += BitOperations.RotateLeft(e, 5) + (a ^ b ^ c) + 0xCA62C1D6 + w7;
            a = BitOperations.RotateLeft(a, 30);
            w8 = BitOperations.RotateLeft(w5 ^ w0 ^ w10 ^ w8, 1);
            c += BitOperations.RotateLeft(d, 5) + (e ^ a ^ b) + 0xCA62C1D6 + w8;
            e = BitOperations.RotateLeft(e, 30);
            w9 = BitOperations.RotateLeft(w6 ^ w1 ^ w11 ^ w9, 1);
            b += BitOperations.RotateLeft(c, 5) + (d ^ e ^ a) + 0xCA62C1D6 + w9;
            d = BitOperations.RotateLeft(d, 30);
            w10 = BitOperations.RotateLeft(w7 ^ w2 ^ w12 ^ w10, 1);
            a += BitOperations.RotateLeft(b, 5) + (c ^ d ^ e) + 0xCA62C1D6 + w10;
            c = BitOperations.RotateLeft(c, 30);
            w11 = BitOperations.RotateLeft(w8 ^ w3 ^ w13 ^ w11, 1);
            e += BitOperations.RotateLeft(a, 5) + (b ^ c ^ d) + 0xCA62C1D6 + w11;
            b = BitOperations.RotateLeft(b, 30);
            w12 = BitOperations.RotateLeft(w9 ^ w4 ^ w14 ^ w12, 1);
            d += BitOperations.RotateLeft(e, 5) + (a ^ b ^ c) + 0xCA62C1D6 + w12;
            a = BitOperations.RotateLeft(a, 30);
            w13 = BitOperations.RotateLeft(w10 ^ w5 ^ w15 ^ w13, 1);
            c += BitOperations.RotateLeft(d, 5) + (e ^ a ^ b) + 0xCA62C1D6 + w13;
            e = BitOperations.RotateLeft(e, 30);
            w14 = BitOperations.RotateLeft(w11 ^ w6 ^ w0 ^ w14, 1);
            b += BitOperations.RotateLeft(c, 5) + (d ^ e ^ a) + 0xCA62C1D6 + w14;
            d = BitOperations.RotateLeft(d, 30);
            w15 = BitOperations.RotateLeft(w12 ^ w7 ^ w1 ^ w15, 1);
            a += BitOperations.RotateLeft(b, 5) + (c ^ d ^ e) + 0xCA62C1D6 + w15;
            c = BitOperations.RotateLeft(c, 30);

            _h0 += a;
            _h1 += b;
            _h2 += c;
            _h3 += d;
            _h4 += e;
        }
    }
}
