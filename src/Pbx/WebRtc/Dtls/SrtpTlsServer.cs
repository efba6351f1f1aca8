using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// The BouncyCastle server peer: DTLS 1.2 only, ECDHE-ECDSA suites, extended master secret required (RFC 7627;
/// BouncyCastle exports keys only then), use_srtp negotiated by our preference (RFC 5764 §4.1.1), and a
/// CertificateRequest listing ecdsa_sign that requires the client's certificate (RFC 5763 §5).
/// </summary>
internal sealed class SrtpTlsServer : DefaultTlsServer
{
    private readonly DtlsSrtpSetup _setup;
    private readonly BcTlsCrypto _crypto;

    public SrtpTlsServer(BcTlsCrypto crypto, DtlsSrtpSetup setup)
        : base(crypto)
    {
        _crypto = crypto;
        _setup = setup;
    }

    public override int GetHandshakeTimeoutMillis() => (int)_setup.Options.HandshakeTimeout.TotalMilliseconds;

    public override int GetHandshakeResendTimeMillis() =>
        (int)_setup.Options.InitialRetransmitTimeout.TotalMilliseconds;

    public override bool RequiresExtendedMasterSecret() => true;

    public override CertificateRequest GetCertificateRequest()
    {
        // Chrome refuses a CertificateRequest whose types lack ecdsa_sign (its certificate is ECDSA); rsa_sign keeps
        // RSA-certificate peers working. Types and signature algorithms are TLS 1.2's (RFC 5246 §7.4.4).
        short[] types = [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign];
        return new CertificateRequest(types, TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context), null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate) => _setup.VerifyPeer(clientCertificate);

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var offered = clientExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        if (offered is null)
        {
            throw _setup.Fail(DtlsFailureReason.NoSrtpProfile, AlertDescription.handshake_failure,
                "The client did not offer use_srtp (RFC 5764 §4.1.1); media would have no keys.");
        }

        foreach (var profile in _setup.Options.SrtpProfiles)
        {
            if (Array.IndexOf(offered.ProtectionProfiles, (int)profile) >= 0)
            {
                _setup.Profile = profile;
                return;
            }
        }

        throw _setup.Fail(DtlsFailureReason.NoSrtpProfile, AlertDescription.handshake_failure,
            $"No common SRTP profile: the client offered [{string.Join(", ", offered.ProtectionProfiles)}].");
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        if (_setup.Profile is { } profile)
        {
            // One profile and no MKI (RFC 5764 §4.1.1: the server selects exactly one).
            TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([(int)profile], []));
        }

        return extensions;
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        base.NotifyAlertReceived(alertLevel, alertDescription);
        if (alertLevel == AlertLevel.fatal)
        {
            _setup.AlertReceived = alertDescription;
        }
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _setup.ExportKeys(m_context);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsSrtpSetup.CipherSuites);

    protected override bool PreferLocalCipherSuites() => true;

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => _setup.CreateSigner(m_context, _crypto);
}
