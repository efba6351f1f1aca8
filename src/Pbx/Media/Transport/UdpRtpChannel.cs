using System.Net;
using System.Net.Sockets;

namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// An RTP/RTCP port pair of UDP sockets (RFC 3550 §11), non-blocking. Reads go through a native non-blocking
/// <c>recvfrom</c> on Linux (no exception when nothing is queued) and through <c>Available</c> elsewhere; sends use
/// the <see cref="SocketAddress"/> overload, so neither allocates. Disposing closes both sockets and returns the pair.
/// </summary>
internal sealed class UdpRtpChannel : IRtpChannel, IPendingDatagrams
{
    private readonly Socket _rtp;
    private readonly Socket _rtcp;
    private readonly PortAllocator _ports;
    private int _disposed;

    public UdpRtpChannel(Socket rtp, Socket rtcp, int port, PortAllocator ports)
    {
        _rtp = rtp;
        _rtcp = rtcp;
        _ports = ports;
        LocalEndPoint = (IPEndPoint)rtp.LocalEndPoint!;
        LocalRtcpPort = port + 1;
        RtpFd = (int)rtp.SafeHandle.DangerousGetHandle();
        RtcpFd = (int)rtcp.SafeHandle.DangerousGetHandle();
    }

    public IPEndPoint LocalEndPoint { get; }
    public int LocalRtcpPort { get; }
    public AddressFamily AddressFamily => _rtp.AddressFamily;

    /// <summary>File descriptors for the loop's epoll set (stable while open).</summary>
    internal int RtpFd { get; }
    internal int RtcpFd { get; }

    public int TryReceive(MediaSocket socket, Span<byte> buffer, SocketAddress source)
    {
        if (EpollMediaPoller.IsSupported)
        {
            return EpollMediaPoller.TryReceiveFrom(socket == MediaSocket.Rtp ? RtpFd : RtcpFd, buffer, source);
        }

        var s = socket == MediaSocket.Rtp ? _rtp : _rtcp;
        try
        {
            return s.Available > 0 ? s.ReceiveFrom(buffer, SocketFlags.None, source) : -1;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return -1;
        }
    }

    public bool TrySend(MediaSocket socket, ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        try
        {
            (socket == MediaSocket.Rtp ? _rtp : _rtcp).SendTo(datagram, SocketFlags.None, destination);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public bool HasPending(MediaSocket socket)
    {
        try
        {
            return (socket == MediaSocket.Rtp ? _rtp : _rtcp).Available > 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _rtp.Dispose();
        _rtcp.Dispose();
        _ports.Release(LocalEndPoint.Port);
    }
}
