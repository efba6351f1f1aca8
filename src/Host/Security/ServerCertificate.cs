using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Telephony.Host.Security;

/// <summary>
/// The server's TLS certificate (HTTPS now; SIP over TLS can take the same one: call <see cref="LoadOrCreate"/> once in
/// the Host and hand <see cref="Certificate"/> to both). From <c>tls.certificateFile</c> + <c>tls.keyFile</c> (PEM, RFC
/// 7468) when configured; otherwise a self-signed ECDSA P-256 certificate made at first start and kept in
/// <c>&lt;data&gt;/tls/server.crt</c> and <c>server.key</c> (mode 0600), made again only when missing, unreadable or
/// expired. <see cref="Sha256Fingerprint"/> is what clients pin or compare.
/// </summary>
public sealed class ServerCertificate
{
    public const string CertificateFileName = "server.crt";
    public const string KeyFileName = "server.key";

    /// <summary>Validity of a self-signed certificate.</summary>
    public static readonly TimeSpan SelfSignedValidity = TimeSpan.FromDays(825);

    private ServerCertificate(X509Certificate2 certificate, bool selfSigned, string certificateFile)
    {
        Certificate = certificate;
        SelfSigned = selfSigned;
        CertificateFile = certificateFile;
    }

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>True when the server made it (no certificate configured).</summary>
    public bool SelfSigned { get; }

    /// <summary>Where the certificate was read from.</summary>
    public string CertificateFile { get; }

    /// <summary>SHA-256 of the DER certificate, upper-case hex pairs separated by colons (as browsers and openssl show it).</summary>
    public string Sha256Fingerprint => Fingerprint(Certificate);

    /// <summary>Loads the configured certificate or the self-signed one under <paramref name="dataDirectory"/>/tls,
    /// making it first when needed. <paramref name="extraNames"/> (host names or IP addresses) go into a new certificate's
    /// subject alternative names besides localhost, 127.0.0.1, ::1 and the machine name.</summary>
    public static ServerCertificate LoadOrCreate(string? certificateFile, string? keyFile, string dataDirectory,
        IEnumerable<string>? extraNames = null, TimeProvider? time = null)
    {
        if (!string.IsNullOrEmpty(certificateFile))
        {
            try
            {
                return new ServerCertificate(Load(certificateFile, keyFile), selfSigned: false, certificateFile);
            }
            catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
            {
                throw new InvalidOperationException(
                    $"tls.certificateFile '{certificateFile}' / tls.keyFile '{keyFile}' cannot be used: {e.Message}", e);
            }
        }

        DateTimeOffset now = (time ?? TimeProvider.System).GetUtcNow();
        string folder = Path.Combine(dataDirectory, "tls");
        string certPath = Path.Combine(folder, CertificateFileName);
        string keyPath = Path.Combine(folder, KeyFileName);
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            try
            {
                X509Certificate2 existing = Load(certPath, keyPath);
                if (existing.NotAfter.ToUniversalTime() > now.UtcDateTime)
                {
                    return new ServerCertificate(existing, selfSigned: true, certPath);
                }

                existing.Dispose();
            }
            catch (CryptographicException)
            {
                // unreadable: made again below
            }
        }

        Directory.CreateDirectory(folder);
        using X509Certificate2 created = CreateSelfSigned(extraNames ?? [], now);
        WritePrivate(keyPath, created.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, created.ExportCertificatePem());
        return new ServerCertificate(Load(certPath, keyPath), selfSigned: true, certPath);
    }

    /// <summary>A self-signed TLS server certificate (ECDSA P-256, SHA-256) for localhost, the machine name and
    /// <paramref name="extraNames"/>, valid from an hour before <paramref name="now"/> for <see cref="SelfSignedValidity"/>.</summary>
    public static X509Certificate2 CreateSelfSigned(IEnumerable<string> extraNames, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(extraNames);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string host = Dns.GetHostName();
        var request = new CertificateRequest($"CN={host}, O=Telephony self-signed", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in new[] { "localhost", host, "127.0.0.1", "::1" }.Concat(extraNames))
        {
            if (string.IsNullOrWhiteSpace(name) || !seen.Add(name) || name is "0.0.0.0" or "::")
            {
                continue;
            }

            if (IPAddress.TryParse(name, out IPAddress? ip))
            {
                names.AddIpAddress(ip);
            }
            else
            {
                names.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddHours(-1), now + SelfSignedValidity);
    }

    /// <summary>SHA-256 fingerprint of <paramref name="certificate"/> as <c>AB:CD:…</c>.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static X509Certificate2 Load(string certificateFile, string? keyFile)
    {
        X509Certificate2 certificate = string.IsNullOrEmpty(keyFile)
            ? X509Certificate2.CreateFromPemFile(certificateFile)
            : X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CryptographicException("no private key");
        }

        return certificate;
    }

    private static void WritePrivate(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
