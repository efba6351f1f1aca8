using System.Net;
using System.Net.Sockets;

namespace Telephony.Pbx.Media.Transport.InMemory;

/// <summary>A session's RTP/RTCP port pair (RFC 3550 §11) on an <see cref="InMemoryMediaNetwork"/>.</summary>
internal sealed class InMemoryRtpChannel(InMemoryDatagramSocket rtp, InMemoryDatagramSocket rtcp)
    : IRtpChannel, IPendingDatagrams
{
    public IPEndPoint LocalEndPoint => rtp.LocalEndPoint;
    public int LocalRtcpPort => rtcp.LocalEndPoint.Port;
    public AddressFamily AddressFamily => rtp.LocalEndPoint.AddressFamily;

    public int TryReceive(MediaSocket socket, Span<byte> buffer, SocketAddress source) =>
        (socket == MediaSocket.Rtp ? rtp : rtcp).TryReceive(buffer, source);

    public bool TrySend(MediaSocket socket, ReadOnlySpan<byte> datagram, SocketAddress destination) =>
        (socket == MediaSocket.Rtp ? rtp : rtcp).SendTo(datagram, destination);

    public bool HasPending(MediaSocket socket) => (socket == MediaSocket.Rtp ? rtp : rtcp).Available > 0;

    public void Dispose()
    {
        rtp.Dispose();
        rtcp.Dispose();
    }
}
