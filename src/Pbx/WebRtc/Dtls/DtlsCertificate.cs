using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using TlsCertificateChain = Org.BouncyCastle.Tls.Certificate;

namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// The self-signed ECDSA P-256 certificate our DTLS side presents (RFC 5763 §5, RFC 8827 §6.5: WebRTC
/// certificates are self-signed and authenticated by the SDP <c>a=fingerprint</c>). Make one at start and share
/// it across sessions; it is immutable and thread-safe.
/// </summary>
public sealed class DtlsCertificate
{
    /// <summary>Validity of a generated certificate (browsers check the fingerprint, not the dates).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    private readonly byte[] _der;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey, DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        _der = der;
        PrivateKey = privateKey;
        NotBefore = notBefore;
        NotAfter = notAfter;
        Fingerprint = CertificateFingerprint.Compute(FingerprintAlgorithm.Sha256, der);
    }

    /// <summary>The X.509 certificate, DER-encoded.</summary>
    public ReadOnlySpan<byte> Der => _der;

    /// <summary>SHA-256 of <see cref="Der"/>.</summary>
    public CertificateFingerprint Fingerprint { get; }

    /// <summary>Value for <c>a=fingerprint:</c>, e.g. <c>sha-256 AB:CD:…</c> (32 upper-case hex pairs).</summary>
    public string SdpFingerprint => Fingerprint.ToString();

    public DateTimeOffset NotBefore { get; }
    public DateTimeOffset NotAfter { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Makes a new key pair and self-signed certificate (a few milliseconds).</summary>
    public static DtlsCertificate Generate(TimeProvider? time = null, string commonName = "Telephony WebRTC")
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);

        // A day back covers clock skew between us and the peer.
        var notBefore = now.AddDays(-1);
        var notAfter = now + Lifetime;
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        var privateKey = PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
        return new DtlsCertificate(certificate.RawData, privateKey, notBefore, notAfter);
    }

    /// <summary>The BouncyCastle chain (this one certificate) bound to a crypto instance.</summary>
    internal TlsCertificateChain ToChain(BcTlsCrypto crypto) =>
        new([new BcTlsCertificate(crypto, _der)]);
}
