using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// The server's transports as one <see cref="ISipTransport"/> (RFC 3261 §18): the socket transports (UDP, TCP) and
/// SIP over WebSocket (RFC 7118), chosen per message by the endpoint's protocol. Both feed the same handler, so the
/// transaction layer and the calls never ask which transport a peer uses.
/// </summary>
public sealed class SipTransports(ISipTransport sockets, WebSocketSipTransport webSockets) : ISipTransport
{
    /// <summary>The UDP/TCP transport.</summary>
    public ISipTransport Sockets { get; } = sockets ?? throw new ArgumentNullException(nameof(sockets));

    /// <summary>The WebSocket transport.</summary>
    public WebSocketSipTransport WebSockets { get; } = webSockets ?? throw new ArgumentNullException(nameof(webSockets));

    /// <inheritdoc/>
    public IReadOnlyList<SipEndPoint> LocalEndPoints => [.. Sockets.LocalEndPoints, .. WebSockets.LocalEndPoints];

    /// <summary>Starts the socket listeners and the WebSocket side with the same handler.</summary>
    public async Task StartAsync(IEnumerable<SipListenOptions> listeners, ISipMessageHandler handler, CancellationToken ct = default)
    {
        await Sockets.StartAsync(listeners, handler, ct).ConfigureAwait(false);
        await WebSockets.StartAsync([], handler, ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<bool> SendAsync(SipMessage message, SipEndPoint remote, CancellationToken ct = default) =>
        remote.Protocol.IsWebSocket() ? WebSockets.SendAsync(message, remote, ct) : Sockets.SendAsync(message, remote, ct);

    /// <inheritdoc/>
    public SipEndPoint ResponseDestination(SipRequest request, SipEndPoint receivedFrom) =>
        receivedFrom.Protocol.IsWebSocket()
            ? WebSockets.ResponseDestination(request, receivedFrom)
            : Sockets.ResponseDestination(request, receivedFrom);

    /// <inheritdoc/>
    public SipEndPoint GetLocalEndPoint(SipProtocol protocol) =>
        protocol.IsWebSocket() ? WebSockets.GetLocalEndPoint(protocol) : Sockets.GetLocalEndPoint(protocol);

    public async ValueTask DisposeAsync()
    {
        await WebSockets.DisposeAsync().ConfigureAwait(false);
        await Sockets.DisposeAsync().ConfigureAwait(false);
    }
}
