namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>Why a DTLS-SRTP handshake failed or an association ended.</summary>
public enum DtlsFailureReason
{
    None = 0,

    /// <summary>No complete handshake within <see cref="DtlsAssociationOptions.HandshakeTimeout"/>.</summary>
    Timeout,

    /// <summary>The peer's certificate does not hash to any of its SDP <c>a=fingerprint</c> values (RFC 8122 §5).</summary>
    FingerprintMismatch,

    /// <summary>The peer sent no certificate; WebRTC requires mutual authentication (RFC 5763 §5).</summary>
    PeerCertificateMissing,

    /// <summary>No use_srtp extension or no common SRTP protection profile (RFC 5764 §4.1.1).</summary>
    NoSrtpProfile,

    /// <summary>The peer sent a fatal alert (see <see cref="DtlsHandshakeException.AlertDescription"/>).</summary>
    PeerAlert,

    /// <summary>The peer closed with close_notify.</summary>
    PeerClosed,

    /// <summary>We closed it (<see cref="DtlsAssociation.Dispose"/>).</summary>
    LocallyClosed,

    /// <summary>Any other DTLS error (bad message, no common cipher suite or version…).</summary>
    ProtocolError,
}
