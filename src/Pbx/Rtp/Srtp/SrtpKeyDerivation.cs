using System.Security.Cryptography;

namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// The SRTP key derivation function (RFC 3711 §4.3.1, §4.3.3) with key_derivation_rate 0: session key =
/// AES-CM PRF(master key, (label || 0^48) XOR master salt). RFC 7714 §11 uses the same PRF for AEAD_AES_128_GCM with
/// its 96-bit master salt, taken as the high 96 bits of the 112-bit value (the low 16 bits zero). Runs once per
/// context, so it uses the BCL's AES directly.
/// </summary>
public static class SrtpKeyDerivation
{
    /// <summary>Fills <paramref name="output"/> with the session key, salt or authentication key for <paramref name="label"/>.</summary>
    public static void DeriveSessionKey(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpKeyLabel label,
        Span<byte> output)
    {
        if (masterKey.Length != 16)
        {
            throw new ArgumentException("The master key must be 16 bytes (AES-128).", nameof(masterKey));
        }

        if (masterSalt.Length is not (14 or 12))
        {
            throw new ArgumentException("The master salt must be 14 (AES-CM) or 12 (GCM) bytes.", nameof(masterSalt));
        }

        // x = key_id XOR master_salt, key_id = label || r (48 bits, r = 0) right-aligned in 112 bits, so the label
        // lands on byte 7; the PRF input is x * 2^16, i.e. x followed by a 16-bit block counter.
        var blocks = (output.Length + 15) / 16;
        var input = new byte[blocks * 16];
        for (var i = 0; i < blocks; i++)
        {
            var block = input.AsSpan(i * 16, 16);
            masterSalt.CopyTo(block);
            block[7] ^= (byte)label;
            block[14] = (byte)(i >> 8);
            block[15] = (byte)i;
        }

        using var aes = Aes.Create();
        aes.Key = masterKey.ToArray();
        var keystream = aes.EncryptEcb(input, PaddingMode.None);
        keystream.AsSpan(0, output.Length).CopyTo(output);
        CryptographicOperations.ZeroMemory(keystream);
    }
}
