using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Telephony.Host.Security;

namespace Telephony.Host.Tests.Security;

public sealed class ServerCertificateTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("host-tests-tls-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void Without_configuration_a_self_signed_certificate_is_made_once_and_kept()
    {
        ServerCertificate first = ServerCertificate.LoadOrCreate(null, null, _data, ["192.0.2.10", "pbx.example.com"], _time);
        ServerCertificate again = ServerCertificate.LoadOrCreate(null, null, _data, [], _time);

        Assert.True(first.SelfSigned);
        Assert.True(first.Certificate.HasPrivateKey);
        Assert.Equal(Path.Combine(_data, "tls", "server.crt"), first.CertificateFile);
        Assert.Equal(first.Sha256Fingerprint, again.Sha256Fingerprint);
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", first.Sha256Fingerprint);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(first.Certificate.RawData)), first.Sha256Fingerprint.Replace(":", "", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_data, "tls", "server.key")));
        }
    }

    [Fact]
    public void The_self_signed_certificate_is_a_TLS_server_certificate_for_the_local_names()
    {
        using X509Certificate2 cert = ServerCertificate.CreateSelfSigned(["192.0.2.10", "pbx.example.com", "0.0.0.0"], _time.GetUtcNow());

        var names = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.Contains("pbx.example.com", names.EnumerateDnsNames());
        Assert.Equal(["127.0.0.1", "::1", "192.0.2.10"], names.EnumerateIPAddresses().Select(a => a.ToString()));
        Assert.Contains(cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(),
            o => o.Value == "1.3.6.1.5.5.7.3.1");
        Assert.False(cert.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal("1.2.840.10045.2.1", cert.PublicKey.Oid.Value); // id-ecPublicKey (P-256)
        Assert.Equal(_time.GetUtcNow().AddHours(-1).UtcDateTime, cert.NotBefore.ToUniversalTime());
        Assert.Equal((_time.GetUtcNow() + ServerCertificate.SelfSignedValidity).UtcDateTime, cert.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void An_expired_self_signed_certificate_is_made_again()
    {
        string before = ServerCertificate.LoadOrCreate(null, null, _data, [], _time).Sha256Fingerprint;
        _time.Advance(ServerCertificate.SelfSignedValidity + TimeSpan.FromDays(1));
        Assert.NotEqual(before, ServerCertificate.LoadOrCreate(null, null, _data, [], _time).Sha256Fingerprint);
    }

    [Fact]
    public void A_configured_PEM_certificate_and_key_are_used_and_a_bad_one_stops_start_up()
    {
        using X509Certificate2 made = ServerCertificate.CreateSelfSigned([], _time.GetUtcNow());
        string cert = Path.Combine(_data, "fullchain.pem"), key = Path.Combine(_data, "privkey.pem");
        File.WriteAllText(cert, made.ExportCertificatePem());
        File.WriteAllText(key, made.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        ServerCertificate loaded = ServerCertificate.LoadOrCreate(cert, key, _data, [], _time);
        Assert.False(loaded.SelfSigned);
        Assert.Equal(ServerCertificate.Fingerprint(made), loaded.Sha256Fingerprint);
        Assert.False(Directory.Exists(Path.Combine(_data, "tls")));

        var error = Assert.Throws<InvalidOperationException>(() => ServerCertificate.LoadOrCreate(cert, cert, _data, [], _time));
        Assert.Contains("tls.certificateFile", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => ServerCertificate.LoadOrCreate(Path.Combine(_data, "missing.pem"), key, _data, [], _time));
    }
}
