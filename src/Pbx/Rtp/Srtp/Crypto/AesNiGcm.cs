using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>
/// AES-128-GCM (NIST SP 800-38D) on AES-NI and PCLMULQDQ: CTR from <see cref="Aes128Ni"/>, GHASH as a carry-less
/// multiply in GF(2^128) on byte-reflected blocks with the shift-and-reduce of Gueron and Kounavis ("Intel
/// Carry-Less Multiplication Instruction and its Usage for Computing the GCM Mode", algorithm 1 with the
/// x^128 + x^7 + x^2 + x + 1 reduction). Checked against the RFC 7714 §16-17 vectors and the BCL's AesGcm.
/// </summary>
internal sealed class AesNiGcm : AesGcmCipher
{
    private static readonly Vector128<byte> ByteSwap =
        Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);

    private readonly Aes128Ni _aes;
    private readonly Vector128<byte> _h;

    public AesNiGcm(ReadOnlySpan<byte> key)
    {
        _aes = new Aes128Ni(key);
        _h = Ssse3.Shuffle(_aes.EncryptBlock(Vector128<byte>.Zero), ByteSwap);
    }

    public override void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        var j0 = CounterBlock(nonce, 1);
        _aes.XorKeystream(CounterBlock(nonce, 2), data);
        ComputeTag(j0, aad, data).CopyTo(tag);
    }

    public override bool Decrypt(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag,
        ReadOnlySpan<byte> aad)
    {
        Span<byte> expected = stackalloc byte[TagLength];
        ComputeTag(CounterBlock(nonce, 1), aad, data).CopyTo(expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, tag[..TagLength]))
        {
            return false;
        }

        _aes.XorKeystream(CounterBlock(nonce, 2), data);
        return true;
    }

    private static Vector128<byte> CounterBlock(ReadOnlySpan<byte> nonce, uint counter)
    {
        Span<byte> block = stackalloc byte[16];
        nonce[..NonceLength].CopyTo(block);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(block[12..], counter);
        return Vector128.Create((ReadOnlySpan<byte>)block);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Vector128<byte> ComputeTag(Vector128<byte> j0, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext)
    {
        var x = Vector128<byte>.Zero;
        x = Absorb(x, aad);
        x = Absorb(x, ciphertext);
        // The length block is len(A) || len(C), each 64-bit big endian; in the byte-reflected domain that is
        // the two lengths as little-endian qwords with len(C) in the low half.
        var lengths = Vector128.Create((ulong)ciphertext.Length * 8, (ulong)aad.Length * 8).AsByte();
        x = Multiply(x ^ lengths, _h);
        return Ssse3.Shuffle(x, ByteSwap) ^ _aes.EncryptBlock(j0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Vector128<byte> Absorb(Vector128<byte> x, ReadOnlySpan<byte> data)
    {
        ref var d = ref MemoryMarshal.GetReference(data);
        var whole = data.Length & ~15;
        for (var offset = 0; offset < whole; offset += 16)
        {
            var block = Vector128.LoadUnsafe(ref d, (nuint)offset);
            x = Multiply(x ^ Ssse3.Shuffle(block, ByteSwap), _h);
        }

        if (whole < data.Length)
        {
            Span<byte> last = stackalloc byte[16];
            last.Clear();
            data[whole..].CopyTo(last);
            x = Multiply(x ^ Ssse3.Shuffle(Vector128.Create((ReadOnlySpan<byte>)last), ByteSwap), _h);
        }

        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Multiply(Vector128<byte> a, Vector128<byte> b)
    {
        var a64 = a.AsUInt64();
        var b64 = b.AsUInt64();
        var lo = Pclmulqdq.CarrylessMultiply(a64, b64, 0x00);
        var mid = Pclmulqdq.CarrylessMultiply(a64, b64, 0x10) ^ Pclmulqdq.CarrylessMultiply(a64, b64, 0x01);
        var hi = Pclmulqdq.CarrylessMultiply(a64, b64, 0x11);
        lo ^= Sse2.ShiftLeftLogical128BitLane(mid.AsByte(), 8).AsUInt64();
        hi ^= Sse2.ShiftRightLogical128BitLane(mid.AsByte(), 8).AsUInt64();

        // The 256-bit product hi:lo is of bit-reflected operands, so shift it left by one bit.
        var l = lo.AsUInt32();
        var h = hi.AsUInt32();
        var carryLo = Sse2.ShiftRightLogical(l, 31);
        var carryHi = Sse2.ShiftRightLogical(h, 31);
        l = Sse2.ShiftLeftLogical(l, 1);
        h = Sse2.ShiftLeftLogical(h, 1);
        var crossing = Sse2.ShiftRightLogical128BitLane(carryLo.AsByte(), 12).AsUInt32();
        carryHi = Sse2.ShiftLeftLogical128BitLane(carryHi.AsByte(), 4).AsUInt32();
        carryLo = Sse2.ShiftLeftLogical128BitLane(carryLo.AsByte(), 4).AsUInt32();
        l |= carryLo;
        h |= carryHi | crossing;

        // Reduce modulo x^128 + x^7 + x^2 + x + 1.
        var t = Sse2.ShiftLeftLogical(l, 31) ^ Sse2.ShiftLeftLogical(l, 30) ^ Sse2.ShiftLeftLogical(l, 25);
        var spill = Sse2.ShiftRightLogical128BitLane(t.AsByte(), 4).AsUInt32();
        t = Sse2.ShiftLeftLogical128BitLane(t.AsByte(), 12).AsUInt32();
        l ^= t;
        var u = Sse2.ShiftRightLogical(l, 1) ^ Sse2.ShiftRightLogical(l, 2) ^ Sse2.ShiftRightLogical(l, 7) ^ spill;
        l ^= u;
        return (h ^ l).AsByte();
    }
}
