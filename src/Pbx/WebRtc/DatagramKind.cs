namespace Telephony.Pbx.WebRtc;

/// <summary>
/// What a datagram on a WebRTC media socket is, by its first byte (RFC 7983 §7, as updated by RFC 9443), and for
/// RTP/RTCP by its second (RFC 5761 §4). The values after <see cref="Rtcp"/> are drop reasons.
/// </summary>
public enum DatagramKind
{
    /// <summary>First byte 0-3: STUN (ICE connectivity checks).</summary>
    Stun,

    /// <summary>First byte 20-63: DTLS records.</summary>
    Dtls,

    /// <summary>First byte 128-191, second byte outside 192-223: RTP (SRTP).</summary>
    Rtp,

    /// <summary>First byte 128-191, second byte 192-223 (RTCP packet types 192-223): RTCP (SRTCP).</summary>
    Rtcp,

    /// <summary>Dropped: no bytes.</summary>
    Empty,

    /// <summary>Dropped: first byte 16-19, ZRTP (not used by WebRTC).</summary>
    Zrtp,

    /// <summary>Dropped: first byte 64-79, TURN ChannelData (we are not behind a TURN server on this socket).</summary>
    TurnChannel,

    /// <summary>Dropped: first byte 128-191 but a single byte, too short to tell RTP from RTCP.</summary>
    RtpTooShort,

    /// <summary>Dropped: any other first byte (4-15, 80-127 QUIC, 192-255).</summary>
    Unknown,
}
