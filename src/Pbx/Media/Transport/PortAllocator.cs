using System.Net;
using System.Net.Sockets;

namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// Hands out RTP/RTCP port pairs (RTP even, RTCP = RTP + 1, RFC 3550 §11) from a range, binding both UDP sockets
/// and skipping ports in use by us or by other processes. Thread-safe.
/// </summary>
internal sealed class PortAllocator
{
    private readonly object _gate = new();
    private readonly HashSet<int> _inUse = [];
    private readonly IPAddress _bind;
    private readonly int _first;
    private readonly int _pairs;
    private int _cursor;

    public PortAllocator(IPAddress bind, int portMin, int portMax)
    {
        _bind = bind;
        PortMin = portMin;
        PortMax = portMax;
        _first = (portMin + 1) & ~1;
        _pairs = Math.Max(0, ((portMax - 1 - _first) / 2) + 1);
    }

    public int PortMin { get; }
    public int PortMax { get; }

    public (Socket Rtp, Socket Rtcp, int Port) Allocate()
    {
        lock (_gate)
        {
            for (var attempt = 0; attempt < _pairs; attempt++)
            {
                var port = _first + (2 * ((_cursor + attempt) % _pairs));
                if (_inUse.Contains(port))
                {
                    continue;
                }

                var rtp = TryBind(port);
                if (rtp is null)
                {
                    continue;
                }

                var rtcp = TryBind(port + 1);
                if (rtcp is null)
                {
                    rtp.Dispose();
                    continue;
                }

                _inUse.Add(port);
                _cursor = (_cursor + attempt + 1) % _pairs;
                return (rtp, rtcp, port);
            }
        }

        throw new MediaPortsExhaustedException(PortMin, PortMax);
    }

    public void Release(int port)
    {
        lock (_gate)
        {
            _inUse.Remove(port);
        }
    }

    private Socket? TryBind(int port)
    {
        var socket = new Socket(_bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (_bind.AddressFamily == AddressFamily.InterNetworkV6 && _bind.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(_bind, port));
            socket.Blocking = false;
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }
}
