using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// The BouncyCastle client peer (our tests and load clients): the same versions, suites and profiles as
/// <see cref="SrtpTlsServer"/>, offers use_srtp (RFC 5764 §4.1.1), checks the server's certificate against its
/// fingerprint and answers the CertificateRequest with our ECDSA certificate, recording the request.
/// </summary>
internal sealed class SrtpTlsClient : DefaultTlsClient
{
    private readonly DtlsSrtpSetup _setup;
    private readonly BcTlsCrypto _crypto;

    public SrtpTlsClient(BcTlsCrypto crypto, DtlsSrtpSetup setup)
        : base(crypto)
    {
        _crypto = crypto;
        _setup = setup;
    }

    public override int GetHandshakeTimeoutMillis() => (int)_setup.Options.HandshakeTimeout.TotalMilliseconds;

    public override int GetHandshakeResendTimeMillis() =>
        (int)_setup.Options.InitialRetransmitTimeout.TotalMilliseconds;

    public override bool RequiresExtendedMasterSecret() => true;

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        var profiles = _setup.Options.SrtpProfiles;
        if (profiles.Count > 0)
        {
            TlsSrtpUtilities.AddUseSrtpExtension(extensions,
                new UseSrtpData([.. profiles.Select(p => (int)p)], []));
        }

        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        var selected = serverExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions);
        if (selected is null)
        {
            throw _setup.Fail(DtlsFailureReason.NoSrtpProfile, AlertDescription.handshake_failure,
                "The server did not select an SRTP profile (no use_srtp in ServerHello).");
        }

        if (selected.ProtectionProfiles.Length != 1
            || !_setup.Options.SrtpProfiles.Contains((SrtpProfile)selected.ProtectionProfiles[0]))
        {
            throw _setup.Fail(DtlsFailureReason.NoSrtpProfile, AlertDescription.illegal_parameter,
                "The server's use_srtp is not exactly one of the profiles we offered (RFC 5764 §4.1.1).");
        }

        _setup.Profile = (SrtpProfile)selected.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

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

    private sealed class Authentication(SrtpTlsClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            client._setup.VerifyPeer(serverCertificate?.Certificate);

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest)
        {
            client._setup.CertificateRequest = certificateRequest;
            return client._setup.CreateSigner(client.m_context, client._crypto);
        }
    }
}
