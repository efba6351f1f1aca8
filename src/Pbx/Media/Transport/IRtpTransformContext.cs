using System.Net;

namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// What a session offers its <see cref="IRtpTransform"/>: the raw channel (to answer a STUN check or send DTLS
/// records), a way to move the media destination (ICE nomination, RFC 8445 §7.3.1.5) and the loop's drop counters.
/// <see cref="SetRemote"/> and <see cref="CountDrop"/> are for the media loop thread only.
/// </summary>
public interface IRtpTransformContext
{
    /// <summary>The session's channel; <see cref="IRtpChannel.TrySend"/> is safe from any thread.</summary>
    IRtpChannel Channel { get; }

    /// <summary>Sends RTP (and RTCP) to <paramref name="rtp"/> from now on (RTCP to <paramref name="rtcp"/> when given).</summary>
    void SetRemote(SocketAddress rtp, SocketAddress? rtcp);

    /// <summary>Counts an inbound datagram the transform dropped.</summary>
    void CountDrop(MediaDropReason reason);
}
