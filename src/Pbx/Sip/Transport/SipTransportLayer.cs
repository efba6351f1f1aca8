using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// The SIP transport layer (RFC 3261 §18, RFC 3581): UDP, TCP and TLS (§26.2.1) listeners, a TCP connection table, framing
/// (§18.3), receive-side Via fix-up (§18.2.1, received= and rport=), response routing (§18.2.2), and answering
/// malformed requests with the parser's status code. Each UDP socket has one receive loop with one pooled
/// buffer; each TCP connection has its own read loop. A parsed message goes to one of <see cref="DispatchShards"/>
/// shards keyed by Call-ID (<see cref="SipDispatcher"/>): one dialog's messages reach the
/// <see cref="ISipMessageHandler"/> in order, other dialogs in parallel, and no receive loop waits for a handler
/// that waits. When a shard's queue is full a request is answered 503 with Retry-After (counted as
/// <see cref="TransportCounters.Overloaded"/>).
/// </summary>
public sealed partial class SipTransportLayer : ISipTransport
{
    /// <summary>Requested SO_RCVBUF / SO_SNDBUF of each UDP listener (the kernel may cap it lower).</summary>
    public const int UdpSocketBufferBytes = 4 * 1024 * 1024;

    /// <summary>Seconds a 503 sent under overload asks the client to wait (RFC 3261 §20.33 Retry-After).</summary>
    public const int OverloadRetryAfterSeconds = 5;

    private readonly ILogger _logger;
    private readonly ParseErrorLog _parseLog;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(Socket Socket, SipEndPoint Local)> _udp = [];
    private readonly List<(Socket Socket, SipEndPoint Local)> _tcpListeners = [];
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<SipEndPoint, TcpConnection> _connections = new();
    private readonly ConcurrentDictionary<IPEndPoint, Task<TcpConnection?>> _connecting = new();
    private List<SipEndPoint> _localEndPoints = [];
    private SipDispatcher? _dispatcher;
    private int _started;
    private long _lastOverloadLog = long.MinValue;
    private long _shedSinceLog;

    public SipTransportLayer(ILogger<SipTransportLayer>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _parseLog = new ParseErrorLog(_logger, TimeSpan.FromSeconds(10));
    }

    private ISipMessageHandler? _handler;

    /// <summary>Actual bound endpoints (port 0 replaced by the real port), in listener order.</summary>
    public IReadOnlyList<SipEndPoint> LocalEndPoints => _localEndPoints;

    /// <summary>Counters for monitoring and tests.</summary>
    public TransportCounters Counters { get; } = new();

    /// <summary>TCP connections with no inbound bytes for this long are closed. Set before StartAsync.</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>TLS connections with no inbound bytes for this long are closed. Longer than for TCP: a phone registered
    /// over TLS is reached only over its connection, so it must outlive the registration (the server sets it to
    /// <c>sip.maxExpires</c> + 60 s). Set before StartAsync.</summary>
    public TimeSpan TlsIdleTimeout { get; set; } = TimeSpan.FromMinutes(65);

    /// <summary>Longest a TLS handshake may take before the connection is dropped (a client that connects and says
    /// nothing must not hold a handshake slot). Set before StartAsync.</summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>TLS handshakes running at once; a connection beyond them is closed at once (counted). Set before StartAsync.</summary>
    public int MaxConcurrentTlsHandshakes { get; set; } = 64;

    /// <summary>Timeout for opening an outbound TCP connection.</summary>
    public TimeSpan TcpConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Shards (groups of Call-IDs handled in order) of the message handler. Set before StartAsync.</summary>
    public int DispatchShards { get; set; } = 64;

    /// <summary>Messages a shard queues behind a waiting handler before requests are answered 503. Set before StartAsync.</summary>
    public int DispatchQueueCapacity { get; set; } = 256;

    /// <summary>Messages parsed and waiting behind a handler of their shard.</summary>
    public int PendingMessages => _dispatcher?.Pending ?? 0;

    /// <summary>Binds every listener and starts the receive loops. Throws (config error) when a bind fails.</summary>
    public Task StartAsync(IEnumerable<SipListenOptions> listeners, ISipMessageHandler handler, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(listeners);
        ArgumentNullException.ThrowIfNull(handler);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The transport is already started.");
        }
        _handler = handler;
        _dispatcher = new SipDispatcher(DispatchShards, DispatchQueueCapacity, handler, Counters, _logger);

        var locals = new List<SipEndPoint>();
        foreach (var listener in listeners)
        {
            ct.ThrowIfCancellationRequested();
            var socket = listener.Protocol == SipProtocol.Udp
                ? new Socket(listener.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
                : new Socket(listener.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (listener.EndPoint.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = false;
                }

                if (listener.Protocol == SipProtocol.Tls && listener.Certificate is null)
                {
                    throw new ArgumentException("A TLS listener needs a certificate.", nameof(listeners));
                }

                socket.Bind(listener.EndPoint);
                if (listener.Protocol != SipProtocol.Udp)
                {
                    socket.Listen(512);
                }
                else
                {
                    // A call-setup burst (hundreds of INVITE/ACK/BYE per second) must queue in the kernel while the
                    // receive loop is busy, not be dropped and retransmitted 500 ms later. The kernel caps this at
                    // net.core.rmem_max / wmem_max.
                    socket.ReceiveBufferSize = UdpSocketBufferBytes;
                    socket.SendBufferSize = UdpSocketBufferBytes;
                }
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            var local = new SipEndPoint(listener.Protocol, (IPEndPoint)socket.LocalEndPoint!);
            locals.Add(local);
            if (listener.Protocol == SipProtocol.Udp)
            {
                _udp.Add((socket, local));
                _loops.Add(Task.Run(() => RunUdpAsync(socket, local, _stopping.Token), CancellationToken.None));
            }
            else if (listener.Protocol == SipProtocol.Tls)
            {
                _tcpListeners.Add((socket, local));
                var certificate = listener.Certificate!;
                _loops.Add(Task.Run(() => RunTlsAcceptAsync(socket, local, certificate, _stopping.Token), CancellationToken.None));
            }
            else
            {
                _tcpListeners.Add((socket, local));
                _loops.Add(Task.Run(() => RunAcceptAsync(socket, local, _stopping.Token), CancellationToken.None));
            }

            _logger.LogInformation("SIP listening on {EndPoint}", local);
        }

        _localEndPoints = locals;
        return Task.CompletedTask;
    }

    /// <summary>The first bound endpoint of <paramref name="protocol"/>, for Via and Contact.</summary>
    /// <exception cref="InvalidOperationException">No listener of that protocol.</exception>
    public SipEndPoint GetLocalEndPoint(SipProtocol protocol)
    {
        foreach (var ep in _localEndPoints)
        {
            if (ep.Protocol == protocol)
            {
                return ep;
            }
        }

        throw new InvalidOperationException($"No {protocol} listener.");
    }

    /// <summary>
    /// RFC 3261 §18.2.2 and RFC 3581 §4: TCP replies go back to the connection the request came on. UDP replies
    /// go to received= (else the sent-by IP, else the source IP) and to rport= (else the sent-by port, else 5060).
    /// </summary>
    public SipEndPoint ResponseDestination(SipRequest request, SipEndPoint receivedFrom)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (receivedFrom.Protocol != SipProtocol.Udp)
        {
            return receivedFrom;
        }

        var via = request.TopVia;
        if (via is null)
        {
            return receivedFrom;
        }

        if (!IPAddress.TryParse(via.Received ?? "", out var address) &&
            !IPAddress.TryParse(via.Host.Trim('[', ']'), out address))
        {
            address = receivedFrom.EndPoint.Address;
        }

        var port = via.RPort ?? via.Port ?? 5060;
        return new SipEndPoint(SipProtocol.Udp, new IPEndPoint(address, port));
    }

    /// <summary>
    /// Serializes and sends <paramref name="message"/>. UDP: from the listener socket of the same address family.
    /// TCP: over an open connection to/from <paramref name="remote"/>, else a new connection. Returns false
    /// (logged, counted) on any failure; never throws for network errors.
    /// </summary>
    public async ValueTask<bool> SendAsync(SipMessage message, SipEndPoint remote, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            var bytes = message.ToBytes();
            if (remote.Protocol == SipProtocol.Udp)
            {
                var socket = FindUdpSocket(remote.EndPoint.AddressFamily);
                if (socket is null)
                {
                    _logger.LogWarning("No UDP listener for {Family} to send to {Remote}", remote.EndPoint.AddressFamily,
                        remote);
                    Counters.SendFailed();
                    return false;
                }

                await socket.SendToAsync(bytes, SocketFlags.None, remote.EndPoint, ct).ConfigureAwait(false);
            }
            else
            {
                var target = remote;
                if (message is SipResponse response && remote.Protocol == SipProtocol.Tcp && !HasOpenConnection(target) &&
                    SentByOf(response) is { } sentBy)
                {
                    // §18.2.2: the connection the request came on is gone; connect to received / sent-by port.
                    target = new SipEndPoint(SipProtocol.Tcp, sentBy);
                }

                var connection = await GetOrConnectAsync(target, ct).ConfigureAwait(false);
                if (connection is null)
                {
                    Counters.SendFailed();
                    return false;
                }

                await connection.SendAsync(bytes, ct).ConfigureAwait(false);
            }

            Counters.Sent();
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException
                                       or IOException)
        {
            _logger.LogWarning("Sending to {Remote} failed: {Error}", remote, ex.Message);
            Counters.SendFailed();
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var (socket, _) in _udp)
        {
            socket.Dispose();
        }

        foreach (var (socket, _) in _tcpListeners)
        {
            socket.Dispose();
        }

        foreach (var connection in _connections.Values)
        {
            connection.Close();
        }

        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("SIP transport loops did not stop within 5 s");
        }

        _stopping.Dispose();
    }

    private bool HasOpenConnection(SipEndPoint remote) =>
        _connections.TryGetValue(remote, out var connection) && !connection.IsClosed;

    private static IPEndPoint? SentByOf(SipResponse response)
    {
        var via = response.TopVia;
        if (via is null ||
            (!IPAddress.TryParse(via.Received ?? "", out var address) &&
             !IPAddress.TryParse(via.Host.Trim('[', ']'), out address)))
        {
            return null;
        }

        return new IPEndPoint(address, via.Port ?? 5060);
    }

    private Socket? FindUdpSocket(AddressFamily family)
    {
        foreach (var (socket, local) in _udp)
        {
            if (local.EndPoint.AddressFamily == family)
            {
                return socket;
            }
        }

        return null;
    }
}
