namespace Telephony.Pbx.Media;

/// <summary>Why the media engine dropped an incoming packet; index of the per-loop drop counters.</summary>
public enum MediaDropReason
{
    RtpTooShort,
    RtpBadVersion,
    RtpCsrcTruncated,
    RtpExtensionTruncated,
    RtpBadPadding,
    UnknownPayloadType,
    NotReceiving,
    JitterLate,
    JitterDuplicate,
    JitterTooLarge,
    RtcpMalformed,
    SendFailed,

    /// <summary>SRTP/SRTCP refused a packet (RFC 3711 §3.3: authentication failed, replayed, too old, malformed).</summary>
    SrtpRejected,

    /// <summary>
    /// WebRTC (RFC 7983): a datagram whose first byte is none of STUN, DTLS or RTP/RTCP (ZRTP, TURN channel data,
    /// anything else), or an empty one.
    /// </summary>
    NotDemultiplexed,

    /// <summary>WebRTC: a STUN datagram that is not a usable ICE check (malformed, refused 400/401/420/487, no FINGERPRINT).</summary>
    StunRejected,

    /// <summary>WebRTC: a DTLS datagram the association could not take (its queue full, or it was closed).</summary>
    DtlsDropped,

    /// <summary>WebRTC: SRTP/SRTCP before the DTLS-SRTP keys exist, or after the transport failed.</summary>
    SrtpNotReady,
}
