using System.Net;

namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// The layer between a session's <see cref="IRtpChannel"/> and RTP/RTCP parsing. The default passes plain RTP
/// (RFC 3550) through; an SRTP transform (RFC 3711, keyed by SDES RFC 4568) unprotects in place on the way in and
/// protects in place on the way out; a WebRTC transform demultiplexes (RFC 7983) and answers STUN (ICE-lite,
/// RFC 8445), feeds DTLS (RFC 5764) and then does SRTP. Runs on the session's media loop; must not block, lock or
/// allocate per packet, and reports bad input as <see cref="MediaPacketKind.Dropped"/> (after
/// <see cref="IRtpTransformContext.CountDrop"/>) rather than throwing. Set with <see cref="RtpSession.SetTransform"/>.
/// </summary>
public interface IRtpTransform
{
    /// <summary>Bytes an outbound packet may grow by (the SRTP auth tag); the send buffer keeps this much free.</summary>
    int MaxOverheadBytes { get; }

    /// <summary>Called on the loop when the transform is installed on a session.</summary>
    void Attach(IRtpTransformContext context);

    /// <summary>
    /// One datagram that arrived on <paramref name="socket"/> from <paramref name="source"/>: classify it, and for
    /// RTP/RTCP rewrite it in place (SRTP unprotect) and set <paramref name="length"/> to the plain length.
    /// </summary>
    MediaPacketKind Inbound(MediaSocket socket, Span<byte> datagram, ref int length, SocketAddress source);

    /// <summary>
    /// One RTP or RTCP packet of <paramref name="length"/> bytes at the start of <paramref name="buffer"/> about to be
    /// sent: rewrite it in place (SRTP protect) and set <paramref name="length"/>. False = do not send it (counted as
    /// a send failure), e.g. no keys yet.
    /// </summary>
    bool Outbound(MediaPacketKind kind, Span<byte> buffer, ref int length);

    /// <summary>The session closed (loop thread): release keys, stop handshakes.</summary>
    void Detach();
}
