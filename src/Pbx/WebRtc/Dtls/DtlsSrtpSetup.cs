using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// What the BouncyCastle server and client peers of one association share: configuration in, outcome out (keys,
/// or the first failure they detected). Written by the DTLS thread, read after the handshake returns or throws.
/// </summary>
internal sealed class DtlsSrtpSetup
{
    /// <summary>
    /// DTLS 1.2 suites for an ECDSA certificate, AES-GCM first, then the CBC fallbacks browsers still offer
    /// (RFC 8827 §6.5 asks for ECDHE with AES-GCM; RFC 7525 §4.2).
    /// </summary>
    internal static readonly int[] CipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    ];

    public DtlsSrtpSetup(DtlsRole role, DtlsAssociationOptions options, DtlsCertificate certificate,
        IReadOnlyList<CertificateFingerprint> remoteFingerprints)
    {
        Role = role;
        Options = options;
        Certificate = certificate;
        RemoteFingerprints = remoteFingerprints;
    }

    public DtlsRole Role { get; }
    public DtlsAssociationOptions Options { get; }
    public DtlsCertificate Certificate { get; }
    public IReadOnlyList<CertificateFingerprint> RemoteFingerprints { get; }

    public DtlsFailureReason Failure { get; private set; }
    public string? FailureMessage { get; private set; }
    public int? AlertReceived { get; set; }
    public SrtpProfile? Profile { get; set; }
    public byte[]? PeerCertificate { get; private set; }
    public DtlsSrtpKeys? Keys { get; private set; }

    /// <summary>The CertificateRequest the server sent (client role; tests assert on it).</summary>
    public CertificateRequest? CertificateRequest { get; set; }

    /// <summary>Records the first failure and returns the alert to throw.</summary>
    public TlsFatalAlert Fail(DtlsFailureReason reason, short alert, string message)
    {
        if (Failure == DtlsFailureReason.None)
        {
            Failure = reason;
            FailureMessage = message;
        }

        return new TlsFatalAlert(alert, message);
    }

    /// <summary>Checks the peer's leaf certificate against the SDP fingerprints (RFC 8122 §5, RFC 5763 §5).</summary>
    public void VerifyPeer(Certificate? chain)
    {
        if (chain is null || chain.IsEmpty)
        {
            throw Fail(DtlsFailureReason.PeerCertificateMissing, AlertDescription.handshake_failure,
                "The peer sent no certificate; DTLS-SRTP needs one to match its a=fingerprint (RFC 5763 §5).");
        }

        var der = chain.GetCertificateAt(0).GetEncoded();
        if (RemoteFingerprints.Count == 0)
        {
            throw Fail(DtlsFailureReason.FingerprintMismatch, AlertDescription.bad_certificate,
                "No a=fingerprint is known for the peer, so its certificate cannot be accepted.");
        }

        foreach (var fingerprint in RemoteFingerprints)
        {
            if (fingerprint.Matches(der))
            {
                PeerCertificate = der;
                return;
            }
        }

        var expected = RemoteFingerprints[0];
        var actual = CertificateFingerprint.Compute(expected.Algorithm, der);
        throw Fail(DtlsFailureReason.FingerprintMismatch, AlertDescription.bad_certificate,
            $"The peer's certificate is '{actual}' but its SDP a=fingerprint is '{expected}'.");
    }

    /// <summary>Our certificate and key as a TLS 1.2 ECDSA-SHA256 signer.</summary>
    public TlsCredentialedSigner CreateSigner(TlsContext context, BcTlsCrypto crypto) =>
        new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, Certificate.PrivateKey,
            Certificate.ToChain(crypto), SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256,
                SignatureAlgorithm.ecdsa));

    /// <summary>Exports <c>EXTRACTOR-dtls_srtp</c> (RFC 5764 §4.2); only valid inside NotifyHandshakeComplete.</summary>
    public void ExportKeys(TlsContext context)
    {
        if (Profile is not { } profile)
        {
            throw Fail(DtlsFailureReason.NoSrtpProfile, AlertDescription.internal_error, "No SRTP profile negotiated.");
        }

        var material = context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.GetKeyingMaterialLength());
        Keys = DtlsSrtpKeys.FromKeyingMaterial(profile, Role, material, PeerCertificate);
        Array.Clear(material);
    }
}
