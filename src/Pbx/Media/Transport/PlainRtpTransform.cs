using System.Net;

namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// Plain RTP/AVP (RFC 3550, RFC 3551): what arrives on the RTP socket is RTP, what arrives on the RTCP socket is RTCP,
/// and packets leave unchanged. Stateless; <see cref="Instance"/> is every session's default transform.
/// </summary>
public sealed class PlainRtpTransform : IRtpTransform
{
    private PlainRtpTransform()
    {
    }

    public static PlainRtpTransform Instance { get; } = new();

    public int MaxOverheadBytes => 0;

    public void Attach(IRtpTransformContext context)
    {
    }

    public MediaPacketKind Inbound(MediaSocket socket, Span<byte> datagram, ref int length, SocketAddress source) =>
        socket == MediaSocket.Rtcp ? MediaPacketKind.Rtcp : MediaPacketKind.Rtp;

    public bool Outbound(MediaPacketKind kind, Span<byte> buffer, ref int length) => true;

    public void Detach()
    {
    }

    /// <summary>
    /// RFC 5761 §4: on a socket that carries both (rtcp-mux), RTCP has a packet type of 192-223 in its second byte,
    /// where RTP would have the marker bit and a payload type of 64-95. For transforms of muxed channels.
    /// </summary>
    public static bool IsRtcp(ReadOnlySpan<byte> datagram) => datagram.Length >= 2 && datagram[1] is >= 192 and <= 223;
}
