using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>
/// AES-128 counter mode (RFC 3711 §4.1.1) on the BCL: counter blocks are written to a scratch array and encrypted
/// with one reused ECB <see cref="ICryptoTransform"/> (its array overload allocates nothing, unlike
/// <c>Aes.EncryptEcb</c>, which builds a native context per call). The fallback and cross-check backend.
/// </summary>
internal sealed class BclAesCounterMode : AesCounterMode
{
    private const int ChunkBlocks = 64;
    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[ChunkBlocks * 16];
    private readonly byte[] _keystream = new byte[ChunkBlocks * 16];

    public BclAesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    public override void XorKeystream(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        var counter = BinaryPrimitives.ReadUInt32BigEndian(iv[12..]);
        var offset = 0;
        while (offset < data.Length)
        {
            var blocks = Math.Min(ChunkBlocks, (data.Length - offset + 15) / 16);
            for (var i = 0; i < blocks; i++)
            {
                var block = _counters.AsSpan(i * 16, 16);
                iv[..12].CopyTo(block);
                BinaryPrimitives.WriteUInt32BigEndian(block[12..], counter++);
            }

            _ecb.TransformBlock(_counters, 0, blocks * 16, _keystream, 0);
            var n = Math.Min(blocks * 16, data.Length - offset);
            var chunk = data.Slice(offset, n);
            for (var i = 0; i < n; i++)
            {
                chunk[i] ^= _keystream[i];
            }

            offset += n;
        }
    }

    public override void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }
}
