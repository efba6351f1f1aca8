using System.Net;

namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// What a session offers its <see cref="IRtpTransform"/>: the raw channel (to answer a STUN check or send DTLS
/// records), a way to move the media destination (ICE nomination, RFC 8445 §7.3.1.5), the loop's drop counters, and a
/// way to tell the call that the transport is gone (ICE consent lost, RFC 7675; DTLS failed).
/// <see cref="SetRemote"/> and <see cref="CountDrop"/> are for the media loop thread only; <see cref="ReportFailure"/>
/// may be called from any thread.
/// </summary>
public interface IRtpTransformContext
{
    /// <summary>The session's channel; <see cref="IRtpChannel.TrySend"/> is safe from any thread.</summary>
    IRtpChannel Channel { get; }

    /// <summary>
    /// Sends RTP to <paramref name="rtp"/> from now on, and RTCP to <paramref name="rtcp"/> from the RTCP socket; with
    /// <paramref name="rtcp"/> null, RTCP is multiplexed (RFC 5761): it goes to <paramref name="rtp"/> from the RTP
    /// socket. From then on the transform owns the destination: neither the signalled (SDP) address of a later
    /// re-negotiation nor symmetric-RTP latching moves it (ICE decides, RFC 8445 §7.3.1.5).
    /// </summary>
    void SetRemote(SocketAddress rtp, SocketAddress? rtcp);

    /// <summary>Counts an inbound datagram the transform dropped.</summary>
    void CountDrop(MediaDropReason reason);

    /// <summary>
    /// The transport failed for good (<paramref name="reason"/> says why): the session raises
    /// <see cref="RtpSession.TransportFailed"/> once, on the thread pool, and the call hangs up. Any thread.
    /// </summary>
    void ReportFailure(string reason);
}
