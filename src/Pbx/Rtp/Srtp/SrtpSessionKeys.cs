using System.Security.Cryptography;

namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// The session keys of one direction for SRTP or for SRTCP (RFC 3711 §4.3): encryption key, salt and, for the
/// HMAC profiles, the authentication key.
/// </summary>
internal sealed class SrtpSessionKeys
{
    public SrtpSessionKeys(byte[] encryptionKey, byte[] salt, byte[] authKey)
    {
        EncryptionKey = encryptionKey;
        Salt = salt;
        AuthKey = authKey;
    }

    public byte[] EncryptionKey { get; }
    public byte[] Salt { get; }
    public byte[] AuthKey { get; }

    public static SrtpSessionKeys Derive(SrtpProfile profile, ReadOnlySpan<byte> masterKey,
        ReadOnlySpan<byte> masterSalt, bool rtcp)
    {
        var encryptionKey = new byte[profile.MasterKeyLength];
        var salt = new byte[profile.MasterSaltLength];
        var authKey = new byte[profile.AuthKeyLength];
        SrtpKeyDerivation.DeriveSessionKey(masterKey, masterSalt,
            rtcp ? SrtpKeyLabel.RtcpEncryption : SrtpKeyLabel.RtpEncryption, encryptionKey);
        SrtpKeyDerivation.DeriveSessionKey(masterKey, masterSalt, rtcp ? SrtpKeyLabel.RtcpSalt : SrtpKeyLabel.RtpSalt,
            salt);
        if (authKey.Length > 0)
        {
            SrtpKeyDerivation.DeriveSessionKey(masterKey, masterSalt,
                rtcp ? SrtpKeyLabel.RtcpAuthentication : SrtpKeyLabel.RtpAuthentication, authKey);
        }

        return new SrtpSessionKeys(encryptionKey, salt, authKey);
    }

    public void Clear()
    {
        CryptographicOperations.ZeroMemory(EncryptionKey);
        CryptographicOperations.ZeroMemory(Salt);
        CryptographicOperations.ZeroMemory(AuthKey);
    }
}
