using System.Net;
using Telephony.Pbx.Rtp.Srtp;

namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// SRTP and SRTCP (RFC 3711) on a session keyed by SDES (RFC 4568) or DTLS-SRTP (RFC 5764): unprotects every inbound
/// RTP/RTCP datagram in place (a packet that fails authentication, is replayed or too old is dropped and counted as
/// <see cref="MediaDropReason.SrtpRejected"/>) and protects every outbound one in place. 0 B per packet; the contexts
/// belong to this transform and are disposed when it is detached. On an rtcp-mux channel (<paramref name="muxed"/>),
/// RTCP is told from RTP by its packet type (RFC 5761 §4).
/// </summary>
public sealed class SrtpTransform(SrtpContext outbound, SrtpContext inbound, bool muxed = false) : IRtpTransform
{
    private IRtpTransformContext? _context;

    /// <summary>The protection profile both directions use.</summary>
    public SrtpProfile Profile => outbound.Profile;

    /// <summary>Inbound packets refused since the transform was installed.</summary>
    public long Rejected { get; private set; }

    public int MaxOverheadBytes => Math.Max(outbound.Profile.RtpOverhead, outbound.Profile.RtcpOverhead);

    public void Attach(IRtpTransformContext context) => _context = context;

    public MediaPacketKind Inbound(MediaSocket socket, Span<byte> datagram, ref int length, SocketAddress source)
    {
        var rtcp = socket == MediaSocket.Rtcp || (muxed && PlainRtpTransform.IsRtcp(datagram[..length]));
        var result = rtcp
            ? inbound.UnprotectRtcp(datagram, length, out var plain)
            : inbound.UnprotectRtp(datagram, length, out plain);
        if (result != SrtpResult.Ok)
        {
            Rejected++;
            _context?.CountDrop(MediaDropReason.SrtpRejected);
            return MediaPacketKind.Dropped;
        }
        length = plain;
        return rtcp ? MediaPacketKind.Rtcp : MediaPacketKind.Rtp;
    }

    public bool Outbound(MediaPacketKind kind, Span<byte> buffer, ref int length)
    {
        var result = kind == MediaPacketKind.Rtcp
            ? outbound.ProtectRtcp(buffer, length, out var protectedLength)
            : outbound.ProtectRtp(buffer, length, out protectedLength);
        if (result != SrtpResult.Ok)
        {
            return false;
        }
        length = protectedLength;
        return true;
    }

    public void Detach()
    {
        outbound.Dispose();
        inbound.Dispose();
    }
}
