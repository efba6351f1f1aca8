using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// SIP over WebSocket (RFC 7118): the host accepts WebSocket connections (subprotocol <c>sip</c>, §4.1) on its HTTP
/// ports and hands each to <see cref="RunConnectionAsync"/>; every WebSocket message is one whole SIP message (§5.2:
/// no Content-Length framing), parsed, Via-fixed (received=, §18.2.1) and dispatched by Call-ID like the socket
/// transports. A connection is known by the peer's TCP endpoint, so a registered contact with an <c>.invalid</c>
/// host (§5) is reached again through the connection it registered on (the registrar keeps that endpoint as the
/// binding's source), and responses go back on the connection the request came on (§5.3). Liveness is the host's
/// WebSocket ping/pong (RFC 6455 §5.5.2); a connection that closes takes its sends with it (they fail, counted).
/// </summary>
public sealed class WebSocketSipTransport : ISipTransport
{
    /// <summary>Largest SIP message accepted in one WebSocket message (the socket transports' limit).</summary>
    public const int MaxMessageBytes = SipLimits.MaxMessageBytes;

    private readonly ILogger _logger;
    private readonly ParseErrorLog _parseLog;
    private readonly ConcurrentDictionary<IPEndPoint, WebSocketSipConnection> _connections = new();
    private readonly IReadOnlyList<SipEndPoint> _localEndPoints;
    private SipDispatcher? _dispatcher;
    private int _disposed;

    /// <summary>
    /// A transport whose own endpoints (for Via and Contact) are <paramref name="localEndPoints"/>: the host's
    /// HTTP endpoint as <see cref="SipProtocol.Ws"/> and its HTTPS endpoint as <see cref="SipProtocol.Wss"/>.
    /// </summary>
    public WebSocketSipTransport(IEnumerable<SipEndPoint> localEndPoints, ILogger<WebSocketSipTransport>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(localEndPoints);
        _localEndPoints = [.. localEndPoints];
        foreach (var local in _localEndPoints)
        {
            if (!local.Protocol.IsWebSocket())
            {
                throw new ArgumentException($"{local} is not a WebSocket endpoint", nameof(localEndPoints));
            }
        }

        _logger = logger ?? (ILogger)NullLogger.Instance;
        _parseLog = new ParseErrorLog(_logger, TimeSpan.FromSeconds(10));
    }

    /// <inheritdoc/>
    public IReadOnlyList<SipEndPoint> LocalEndPoints => _localEndPoints;

    /// <summary>Counters for monitoring and tests (the TCP connection counters stay 0).</summary>
    public TransportCounters Counters { get; } = new();

    /// <summary>A connection closed (the peer endpoint it was known by): its registrations are unreachable now.</summary>
    public event EventHandler<SipEndPoint>? ConnectionClosed;

    /// <summary>WebSocket connections open now.</summary>
    public int OpenConnections => _connections.Count;

    /// <summary>Takes the handler; the listeners belong to the host (its HTTP ports), so <paramref name="listeners"/> is ignored.</summary>
    public Task StartAsync(IEnumerable<SipListenOptions> listeners, ISipMessageHandler handler, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var dispatcher = new SipDispatcher(16, 256, handler, Counters, _logger);
        if (Interlocked.CompareExchange(ref _dispatcher, dispatcher, null) is not null)
        {
            throw new InvalidOperationException("The transport is already started.");
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Reads SIP messages from one accepted WebSocket until it closes (or <paramref name="ct"/>); the host awaits this
    /// for the life of the request. <paramref name="protocol"/> is <see cref="SipProtocol.Ws"/> or
    /// <see cref="SipProtocol.Wss"/>; <paramref name="remote"/> the client's TCP endpoint.
    /// </summary>
    public async Task RunConnectionAsync(WebSocket socket, SipProtocol protocol, IPEndPoint remote, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(remote);
        if (!protocol.IsWebSocket())
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "not a WebSocket protocol");
        }

        var peer = new SipEndPoint(protocol, remote);
        var local = GetLocalEndPoint(protocol);
        if (_dispatcher is null || Volatile.Read(ref _disposed) != 0)
        {
            await CloseQuietlyAsync(socket, WebSocketCloseStatus.EndpointUnavailable, "SIP not started").ConfigureAwait(false);
            return;
        }

        var connection = new WebSocketSipConnection(socket);
        _connections[remote] = connection;
        _logger.LogInformation("SIP WebSocket connection from {Remote}", peer);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes + 1);
        try
        {
            while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
            {
                var (length, close) = await ReceiveMessageAsync(socket, buffer, ct).ConfigureAwait(false);
                if (close is { } status)
                {
                    if (status == WebSocketCloseStatus.MessageTooBig)
                    {
                        Counters.ParseError(SipParseErrorReason.MessageTooLarge);
                        Counters.Drop();
                    }

                    await CloseQuietlyAsync(socket, status, status == WebSocketCloseStatus.MessageTooBig
                        ? "SIP message too large" : "bye").ConfigureAwait(false);
                    break;
                }

                await OnFrameAsync(buffer.AsSpan(0, length).ToArray(), peer, local).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            _logger.LogDebug("SIP WebSocket {Remote} ended: {Error}", peer, ex.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _connections.TryRemove(new KeyValuePair<IPEndPoint, WebSocketSipConnection>(remote, connection));
            connection.Dispose();
            _logger.LogInformation("SIP WebSocket connection from {Remote} closed", peer);
            ConnectionClosed?.Invoke(this, peer);
        }
    }

    /// <summary>
    /// One received WebSocket message: a SIP message is dispatched (requests after the Via fix-up), a bare CRLF
    /// keep-alive is ignored, a malformed request with usable headers is answered with the parser's status.
    /// </summary>
    internal async ValueTask OnFrameAsync(byte[] frame, SipEndPoint peer, SipEndPoint local)
    {
        var data = frame.AsSpan();
        if (data.Trim("\r\n"u8).IsEmpty)
        {
            return; // RFC 5626 §3.5.1 style keep-alive
        }

        if (!SipMessageParser.TryParse(data, out var message, out var error))
        {
            await RejectAsync(error!, peer).ConfigureAwait(false);
            return;
        }

        Counters.Received();
        if (message is SipRequest request)
        {
            ViaFixup.Apply(request, peer.EndPoint);
        }

        if (!_dispatcher!.TryDispatch(message!, peer, local))
        {
            Counters.Overload();
            if (message is SipRequest { Method: not SipMethod.Ack } shed)
            {
                var busy = SipResponse.CreateFor(shed, 503, "Service Unavailable");
                busy.Headers.Add(HeaderName.RetryAfter, "5");
                await SendAsync(busy, peer).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends one SIP message as one WebSocket text message (§5.2) on the connection of <paramref name="remote"/>.</summary>
    public async ValueTask<bool> SendAsync(SipMessage message, SipEndPoint remote, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!remote.Protocol.IsWebSocket() || !_connections.TryGetValue(remote.EndPoint, out var connection))
        {
            _logger.LogDebug("No SIP WebSocket connection to {Remote}", remote);
            Counters.SendFailed();
            return false;
        }

        if (!await connection.SendAsync(message.ToBytes(), ct).ConfigureAwait(false))
        {
            Counters.SendFailed();
            return false;
        }

        Counters.Sent();
        return true;
    }

    /// <summary>RFC 7118 §5.3 / RFC 3261 §18.2.2: responses go back over the connection the request arrived on.</summary>
    public SipEndPoint ResponseDestination(SipRequest request, SipEndPoint receivedFrom) => receivedFrom;

    /// <inheritdoc/>
    public SipEndPoint GetLocalEndPoint(SipProtocol protocol)
    {
        foreach (var ep in _localEndPoints)
        {
            if (ep.Protocol == protocol)
            {
                return ep;
            }
        }

        throw new InvalidOperationException($"No {protocol} endpoint.");
    }

    /// <summary>Whether a connection from <paramref name="remote"/> is open (a browser contact is reachable).</summary>
    public bool IsConnected(SipEndPoint remote) => _connections.ContainsKey(remote.EndPoint);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var connection in _connections.Values)
        {
            await connection.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads one whole message into <paramref name="buffer"/>; a close status when the peer closed or it was too big.</summary>
    private static async Task<(int Length, WebSocketCloseStatus? Close)> ReceiveMessageAsync(WebSocket socket, byte[] buffer,
        CancellationToken ct)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (0, WebSocketCloseStatus.NormalClosure);
            }

            length += result.Count;
            if (length > MaxMessageBytes)
            {
                return (0, WebSocketCloseStatus.MessageTooBig);
            }

            if (result.EndOfMessage)
            {
                return (length, null);
            }
        }
    }

    private async ValueTask RejectAsync(SipParseError error, SipEndPoint peer)
    {
        Counters.ParseError(error.Reason);
        _parseLog.Record(error, peer, "parse error");
        if (error.Partial is not { } partial || partial.Method == SipMethod.Ack)
        {
            Counters.Drop();
            return;
        }

        var status = error.StatusCode is >= 300 and <= 699 ? error.StatusCode : 400;
        if (await SendAsync(SipResponse.CreateFor(partial, status, SipResponse.DefaultReason(status)), peer).ConfigureAwait(false))
        {
            Counters.AnsweredMalformedRequest();
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // the peer is gone already
        }
    }
}
