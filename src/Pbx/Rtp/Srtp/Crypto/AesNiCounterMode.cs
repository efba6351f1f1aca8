using System.Runtime.Intrinsics;

namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>AES-128 counter mode (RFC 3711 §4.1.1) on AES-NI (<see cref="Aes128Ni"/>).</summary>
internal sealed class AesNiCounterMode : AesCounterMode
{
    private readonly Aes128Ni _aes;

    public AesNiCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = new Aes128Ni(key);
    }

    public override void XorKeystream(ReadOnlySpan<byte> iv, Span<byte> data) =>
        _aes.XorKeystream(Vector128.Create(iv), data);
}
