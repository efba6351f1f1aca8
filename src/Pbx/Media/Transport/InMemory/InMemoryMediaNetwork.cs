using System.Net;
using System.Net.Sockets;

namespace Telephony.Pbx.Media.Transport.InMemory;

/// <summary>
/// A datagram network in memory, for tests that run whole calls in process: sessions open RTP/RTCP port pairs on
/// <see cref="SessionAddress"/> (RFC 3550 §11: even RTP port, RTCP on the next), and a test peer binds any address
/// with <see cref="Bind"/> and sends and receives RTP to and from a session's address as it would over UDP. Delivery
/// is immediate into the receiver's bounded queue; a datagram to an address nobody bound, or to a full queue, is
/// dropped and counted (as UDP would lose it). Thread-safe. Use as <see cref="MediaEngineOptions.Transport"/>.
/// </summary>
public sealed class InMemoryMediaNetwork : IMediaTransport
{
    /// <summary>Largest datagram carried; longer ones are dropped.</summary>
    public const int MaxDatagramBytes = 2048;

    private const int FirstEphemeralPort = 40000;

    private readonly object _gate = new();
    private readonly Dictionary<SocketAddress, InMemoryDatagramSocket> _bound = [];
    private readonly int _first;
    private readonly int _pairs;
    private int _cursor;
    private int _nextEphemeral = FirstEphemeralPort;
    private long _delivered;
    private long _dropped;

    /// <param name="sessionAddress">Address of the sessions' ports (default 127.0.0.1).</param>
    /// <param name="portMin">First port of the sessions' range.</param>
    /// <param name="portMax">Last port of the sessions' range.</param>
    /// <param name="queueCapacity">Datagrams each socket queues before dropping.</param>
    public InMemoryMediaNetwork(IPAddress? sessionAddress = null, int portMin = 20000, int portMax = 29999,
        int queueCapacity = 256)
    {
        if (portMin < 1 || portMax > 65535 || portMax <= portMin)
        {
            throw new ArgumentException($"Invalid RTP port range {portMin}-{portMax}", nameof(portMin));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        SessionAddress = sessionAddress ?? IPAddress.Loopback;
        PortMin = portMin;
        PortMax = portMax;
        QueueCapacity = queueCapacity;
        _first = (portMin + 1) & ~1;
        _pairs = Math.Max(0, ((portMax - 1 - _first) / 2) + 1);
    }

    public IPAddress SessionAddress { get; }
    public int PortMin { get; }
    public int PortMax { get; }
    public int QueueCapacity { get; }

    /// <summary>Datagrams that reached a bound socket's queue.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Datagrams lost: nobody bound the destination, its queue was full, or too long.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public IRtpChannel Open()
    {
        lock (_gate)
        {
            for (var attempt = 0; attempt < _pairs; attempt++)
            {
                var port = _first + (2 * ((_cursor + attempt) % _pairs));
                var rtp = new IPEndPoint(SessionAddress, port);
                var rtcp = new IPEndPoint(SessionAddress, port + 1);
                if (_bound.ContainsKey(rtp.Serialize()) || _bound.ContainsKey(rtcp.Serialize()))
                {
                    continue;
                }

                _cursor = (_cursor + attempt + 1) % _pairs;
                return new InMemoryRtpChannel(BindLocked(rtp), BindLocked(rtcp));
            }
        }

        throw new MediaPortsExhaustedException(PortMin, PortMax);
    }

    public IMediaPoller CreatePoller() => new ScanningMediaPoller();

    /// <summary>
    /// Binds a socket at <paramref name="endPoint"/> (port 0: a free port from 40000 up) for a test peer. Throws
    /// <see cref="SocketException"/> (AddressAlreadyInUse) when the address is taken.
    /// </summary>
    public InMemoryDatagramSocket Bind(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        lock (_gate)
        {
            if (endPoint.Port == 0)
            {
                while (_bound.ContainsKey(new IPEndPoint(endPoint.Address, _nextEphemeral).Serialize()))
                {
                    _nextEphemeral = _nextEphemeral >= 65535 ? FirstEphemeralPort : _nextEphemeral + 1;
                }

                endPoint = new IPEndPoint(endPoint.Address, _nextEphemeral++);
            }
            else if (_bound.ContainsKey(endPoint.Serialize()))
            {
                throw new SocketException((int)SocketError.AddressAlreadyInUse);
            }

            return BindLocked(endPoint);
        }
    }

    /// <summary>Binds an RTP socket on an even port and its RTCP socket on the next, for a peer that does RTCP too.</summary>
    public (InMemoryDatagramSocket Rtp, InMemoryDatagramSocket Rtcp) BindPair(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            var port = (_nextEphemeral + 1) & ~1;
            while (_bound.ContainsKey(new IPEndPoint(address, port).Serialize()) ||
                   _bound.ContainsKey(new IPEndPoint(address, port + 1).Serialize()))
            {
                port = port >= 65532 ? FirstEphemeralPort : port + 2;
            }

            _nextEphemeral = port + 2;
            return (BindLocked(new IPEndPoint(address, port)), BindLocked(new IPEndPoint(address, port + 1)));
        }
    }

    internal bool Deliver(InMemoryDatagramSocket from, ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        InMemoryDatagramSocket? target;
        lock (_gate)
        {
            _bound.TryGetValue(destination, out target);
        }

        if (target is null || datagram.Length > MaxDatagramBytes || !target.Enqueue(datagram, from.Address))
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        Interlocked.Increment(ref _delivered);
        return true;
    }

    internal void Unbind(InMemoryDatagramSocket socket)
    {
        lock (_gate)
        {
            _bound.Remove(socket.Address);
        }
    }

    private InMemoryDatagramSocket BindLocked(IPEndPoint endPoint)
    {
        var socket = new InMemoryDatagramSocket(this, endPoint, QueueCapacity);
        _bound.Add(socket.Address, socket);
        return socket;
    }
}
