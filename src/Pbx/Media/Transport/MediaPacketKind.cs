namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// What an <see cref="IRtpTransform"/> made of one inbound datagram: an RTP or RTCP packet for the session (RFC 3550),
/// a datagram it handled itself (an RFC 7983 STUN or DTLS datagram), or one it dropped (and counted).
/// </summary>
public enum MediaPacketKind
{
    Rtp,
    Rtcp,
    Consumed,
    Dropped,
}
