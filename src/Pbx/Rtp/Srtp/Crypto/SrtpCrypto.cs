namespace Telephony.Pbx.Rtp.Srtp.Crypto;

/// <summary>Creates the cipher objects of one SRTP key set for the chosen <see cref="SrtpCryptoBackend"/>.</summary>
internal static class SrtpCrypto
{
    public static SrtpCryptoBackend Resolve(SrtpCryptoBackend backend) => backend switch
    {
        SrtpCryptoBackend.Auto => Aes128Ni.IsSupported ? SrtpCryptoBackend.Intrinsics : SrtpCryptoBackend.Bcl,
        _ => backend,
    };

    public static AesCounterMode CreateCounterMode(ReadOnlySpan<byte> key, SrtpCryptoBackend backend) =>
        Resolve(backend) == SrtpCryptoBackend.Intrinsics ? new AesNiCounterMode(key) : new BclAesCounterMode(key);

    public static HmacSha1 CreateHmacSha1(ReadOnlySpan<byte> key, SrtpCryptoBackend backend) =>
        Resolve(backend) == SrtpCryptoBackend.Intrinsics ? new ManagedHmacSha1(key) : new BclHmacSha1(key);

    public static AesGcmCipher CreateGcm(ReadOnlySpan<byte> key, SrtpCryptoBackend backend) =>
        Resolve(backend) == SrtpCryptoBackend.Intrinsics ? new AesNiGcm(key) : new BclAesGcm(key);
}
