using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Telephony.Pbx.WebRtc.Dtls;

namespace Telephony.Pbx.Tests.WebRtc.Dtls;

/// <summary>RFC 8122 §5 a=fingerprint values and the generated certificate (RFC 8827 §6.5: ECDSA P-256, sha-256).</summary>
public sealed class CertificateFingerprintTests
{
    private const string Sha256 =
        "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3E:4B:65:A9:B0:2F:E8:AD:EB:8C:95:7A";

    [Fact]
    public void Sha256_value_parses_and_formats_back_upper_case()
    {
        Assert.Equal(FingerprintParseError.None, CertificateFingerprint.TryParse(Sha256.ToLowerInvariant(), out var f));
        Assert.NotNull(f);
        Assert.Equal(FingerprintAlgorithm.Sha256, f.Algorithm);
        Assert.Equal(32, f.Value.Length);
        Assert.Equal(0x4A, f.Value[0]);
        Assert.Equal(Sha256, f.ToString());
        Assert.Equal(f, CertificateFingerprint.Parse("SHA-256 " + Sha256[8..]));
    }

    [Theory]
    [InlineData("sha-1", 20, FingerprintAlgorithm.Sha1)]
    [InlineData("sha-224", 28, FingerprintAlgorithm.Sha224)]
    [InlineData("sha-384", 48, FingerprintAlgorithm.Sha384)]
    [InlineData("sha-512", 64, FingerprintAlgorithm.Sha512)]
    public void Other_hash_functions_parse(string name, int length, FingerprintAlgorithm algorithm)
    {
        var value = name + " " + string.Join(':', Enumerable.Range(0, length).Select(i => (i * 7 % 256).ToString("X2")));
        Assert.Equal(FingerprintParseError.None, CertificateFingerprint.TryParse(value, out var f));
        Assert.NotNull(f);
        Assert.Equal(algorithm, f.Algorithm);
        Assert.Equal(value, f.ToString());
    }

    [Theory]
    [InlineData(null, FingerprintParseError.Empty)]
    [InlineData("  ", FingerprintParseError.Empty)]
    [InlineData("sha-256", FingerprintParseError.MissingFingerprint)]
    [InlineData("md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", FingerprintParseError.UnsupportedHashFunction)]
    [InlineData("sha-256 4A:AD:ZZ", FingerprintParseError.BadHex)]
    [InlineData("sha-256 4A-AD-B9", FingerprintParseError.BadHex)]
    [InlineData("sha-256 4AAD:B9", FingerprintParseError.BadHex)]
    [InlineData("sha-256 4A:AD:B9", FingerprintParseError.WrongLength)]
    public void Bad_values_are_refused_with_a_reason(string? value, FingerprintParseError expected)
    {
        Assert.Equal(expected, CertificateFingerprint.TryParse(value, out var f));
        Assert.Null(f);
    }

    [Fact]
    public void Generated_certificate_is_self_signed_ECDSA_P256_with_its_sha256_fingerprint()
    {
        var certificate = DtlsCertificate.Generate();
        using var x509 = X509CertificateLoader.LoadCertificate(certificate.Der);
        using var key = x509.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        Assert.Equal(x509.Subject, x509.Issuer);
        Assert.Equal("1.2.840.10045.4.3.2", x509.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        Assert.Matches("^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$", certificate.SdpFingerprint);
        Assert.Equal(SHA256.HashData(certificate.Der), certificate.Fingerprint.Value.ToArray());
        Assert.True(certificate.Fingerprint.Matches(certificate.Der));
        Assert.False(certificate.Fingerprint.Matches(DtlsCertificate.Generate().Der));
        Assert.True(certificate.NotAfter - certificate.NotBefore > TimeSpan.FromDays(300));
    }

    [Fact]
    public void Each_generated_certificate_has_its_own_key()
    {
        Assert.NotEqual(DtlsCertificate.Generate().SdpFingerprint, DtlsCertificate.Generate().SdpFingerprint);
    }
}
