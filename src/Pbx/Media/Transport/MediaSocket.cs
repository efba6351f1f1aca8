namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// Which of a session's two transport addresses a datagram came in on or goes out of: RFC 3550 §11 puts RTP on an
/// even port and RTCP on the next one. With rtcp-mux (RFC 5761) a channel uses <see cref="Rtp"/> for both.
/// </summary>
public enum MediaSocket
{
    Rtp = 0,
    Rtcp = 1,
}
