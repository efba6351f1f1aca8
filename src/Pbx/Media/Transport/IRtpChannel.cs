using System.Net;
using System.Net.Sockets;

namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// The datagram I/O of one RTP session: the RTP transport address and the RTCP one (RFC 3550 §11, RTCP on RTP + 1),
/// or one address carrying both (rtcp-mux, RFC 5761). Opened by an <see cref="IMediaTransport"/> and owned by the media
/// loop of its session. <see cref="TryReceive"/> is called by that loop only, never blocks and never throws for network
/// conditions; <see cref="TrySend"/> may also be called from other threads (a DTLS handshake sends from its own) and
/// returns false instead of throwing. Addresses are <see cref="SocketAddress"/> of <see cref="AddressFamily"/> so
/// the per-packet path allocates nothing. Disposing releases the addresses (ports) back to the transport.
/// </summary>
public interface IRtpChannel : IDisposable
{
    /// <summary>The RTP address peers send to (its port goes into the SDP m= line).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>The RTCP port (RTP + 1, or the RTP port itself for rtcp-mux).</summary>
    int LocalRtcpPort { get; }

    /// <summary>Family of the addresses this channel reads and writes (IPv4 remotes are mapped for IPv6).</summary>
    AddressFamily AddressFamily { get; }

    /// <summary>
    /// Reads one queued datagram from <paramref name="socket"/> into <paramref name="buffer"/> and its sender into
    /// <paramref name="source"/>. Returns its length, or -1 when nothing is queued (or the read failed).
    /// </summary>
    int TryReceive(MediaSocket socket, Span<byte> buffer, SocketAddress source);

    /// <summary>Sends one datagram from <paramref name="socket"/>'s address; false when it could not be sent.</summary>
    bool TrySend(MediaSocket socket, ReadOnlySpan<byte> datagram, SocketAddress destination);
}
