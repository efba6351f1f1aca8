using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>
/// AES-128 block encryption (FIPS 197) on the x86 AES-NI instructions: the key schedule is expanded once, every
/// block is ten <c>AESENC</c> rounds, constant time and allocation free. Used for the SRTP counter-mode keystream
/// (RFC 3711 §4.1.1) and AES-GCM (RFC 7714 §8) when <see cref="IsSupported"/>; otherwise the BCL backend runs.
/// </summary>
internal sealed class Aes128Ni
{
    private RoundKeys _keys;

    public Aes128Ni(ReadOnlySpan<byte> key)
    {
        if (key.Length != 16)
        {
            throw new ArgumentException("AES-128 needs a 16-byte key.", nameof(key));
        }

        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("AES-NI is not available.");
        }

        var k = Vector128.Create(key);
        _keys[0] = k;
        k = Expand(k, X86Aes.KeygenAssist(k, 0x01));
        _keys[1] = k;
        k = Expand(k, X86Aes.KeygenAssist(k, 0x02));
        _keys[2] = k;
        k = Expand(k, X86Aes.KeygenAssist(k, 0x04));
        _keys[3] = k;
        k = Expand(k, X86Aes.KeygenAssist(k, 0x08));
        _keys[4] = k;
        k = Expand(k, X86Aes.KeygenAssist(k, 0x10));
        _keys[5] = k;
        k = Expand(k, X86Aes.KeygenAssist(k, 0x20));
        _keys[6] = k;
        k = Expand(k, X86Aes.KeygenAssist(k, 0x40));
        _keys[7] = k;
        k = Expand(k, X86Aes.KeygenAssist(k, 0x80));
        _keys[8] = k;
        k = Expand(k, X86Aes.KeygenAssist(k, 0x1B));
        _keys[9] = k;
        k = Expand(k, X86Aes.KeygenAssist(k, 0x36));
        _keys[10] = k;
    }

    /// <summary>AES-NI, SSE4.1 (counter insert) and PCLMULQDQ (GHASH) are all present.</summary>
    public static bool IsSupported => X86Aes.IsSupported && Sse41.IsSupported && Ssse3.IsSupported
        && Pclmulqdq.IsSupported;

    /// <summary>Encrypts one block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<byte> EncryptBlock(Vector128<byte> block)
    {
        ref var k = ref _keys[0];
        block ^= k;
        block = X86Aes.Encrypt(block, Unsafe.Add(ref k, 1));
        block = X86Aes.Encrypt(block, Unsafe.Add(ref k, 2));
        block = X86Aes.Encrypt(block, Unsafe.Add(ref k, 3));
        block = X86Aes.Encrypt(block, Unsafe.Add(ref k, 4));
        block = X86Aes.Encrypt(block, Unsafe.Add(ref k, 5));
        block = X86Aes.Encrypt(block, Unsafe.Add(ref k, 6));
        block = X86Aes.Encrypt(block, Unsafe.Add(ref k, 7));
        block = X86Aes.Encrypt(block, Unsafe.Add(ref k, 8));
        block = X86Aes.Encrypt(block, Unsafe.Add(ref k, 9));
        return X86Aes.EncryptLast(block, Unsafe.Add(ref k, 10));
    }

    /// <summary>
    /// XORs <paramref name="data"/> with the counter-mode keystream E(K, C), E(K, C+1)... where <paramref name="counter"/>
    /// is the first block and the increment is on its last 32 bits, big endian (GCM's inc32; for SRTP's AES-CM the
    /// IV's low 16 bits are zero and a datagram never needs 2^16 blocks, so this equals "IV + j").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void XorKeystream(Vector128<byte> counter, Span<byte> data)
    {
        var c = counter.AsUInt32();
        var next = ReverseEndianness(c.GetElement(3));
        ref var d = ref MemoryMarshal.GetReference(data);
        var offset = 0;
        var length = data.Length;

        // Four blocks at a time: AESENC has a latency of several cycles and a throughput of one per cycle.
        while (length - offset >= 64)
        {
            var b0 = Sse41.Insert(c, ReverseEndianness(next), 3).AsByte();
            var b1 = Sse41.Insert(c, ReverseEndianness(next + 1), 3).AsByte();
            var b2 = Sse41.Insert(c, ReverseEndianness(next + 2), 3).AsByte();
            var b3 = Sse41.Insert(c, ReverseEndianness(next + 3), 3).AsByte();
            next += 4;
            Encrypt4(ref b0, ref b1, ref b2, ref b3);
            Xor(ref d, offset, b0);
            Xor(ref d, offset + 16, b1);
            Xor(ref d, offset + 32, b2);
            Xor(ref d, offset + 48, b3);
            offset += 64;
        }

        while (length - offset >= 16)
        {
            var ks = EncryptBlock(Sse41.Insert(c, ReverseEndianness(next++), 3).AsByte());
            Xor(ref d, offset, ks);
            offset += 16;
        }

        if (offset < length)
        {
            var ks = EncryptBlock(Sse41.Insert(c, ReverseEndianness(next), 3).AsByte());
            Span<byte> tail = stackalloc byte[16];
            ks.CopyTo(tail);
            for (var i = 0; offset + i < length; i++)
            {
                Unsafe.Add(ref d, offset + i) ^= tail[i];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Encrypt4(ref Vector128<byte> b0, ref Vector128<byte> b1, ref Vector128<byte> b2,
        ref Vector128<byte> b3)
    {
        ref var k = ref _keys[0];
        var x0 = b0 ^ k;
        var x1 = b1 ^ k;
        var x2 = b2 ^ k;
        var x3 = b3 ^ k;
        for (var r = 1; r < 10; r++)
        {
            var rk = Unsafe.Add(ref k, r);
            x0 = X86Aes.Encrypt(x0, rk);
            x1 = X86Aes.Encrypt(x1, rk);
            x2 = X86Aes.Encrypt(x2, rk);
            x3 = X86Aes.Encrypt(x3, rk);
        }

        var last = Unsafe.Add(ref k, 10);
        b0 = X86Aes.EncryptLast(x0, last);
        b1 = X86Aes.EncryptLast(x1, last);
        b2 = X86Aes.EncryptLast(x2, last);
        b3 = X86Aes.EncryptLast(x3, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Xor(ref byte data, int offset, Vector128<byte> keystream)
    {
        var v = Vector128.LoadUnsafe(ref data, (nuint)offset);
        (v ^ keystream).StoreUnsafe(ref data, (nuint)offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReverseEndianness(uint value) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);

    private static Vector128<byte> Expand(Vector128<byte> key, Vector128<byte> assist)
    {
        assist = Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();
        var t = Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= t;
        t = Sse2.ShiftLeftLogical128BitLane(t, 4);
        key ^= t;
        t = Sse2.ShiftLeftLogical128BitLane(t, 4);
        key ^= t;
        return key ^ assist;
    }

    [InlineArray(11)]
    private struct RoundKeys
    {
        private Vector128<byte> _element;
    }
}
