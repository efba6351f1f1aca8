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
}
