namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>Life of a <see cref="DtlsAssociation"/>.</summary>
public enum DtlsAssociationState
{
    New,
    Handshaking,

    /// <summary>Handshake done, keys exported; only alerts and retransmitted flights are handled now.</summary>
    Connected,

    /// <summary>The handshake failed (see <see cref="DtlsAssociation.FailureReason"/>).</summary>
    Failed,

    /// <summary>
    /// Closed after connecting: close_notify either way, a fatal alert, or <see cref="DtlsAssociation.Dispose"/>.
    /// </summary>
    Closed,
}
