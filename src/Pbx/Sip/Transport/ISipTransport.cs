namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// A SIP transport layer (RFC 3261 §18) as the server uses it: listeners started with the handler that gets every
/// parsed message, the endpoints they bound, and sending. <see cref="SipTransportLayer"/> runs UDP and TCP over
/// sockets; tests run whole calls over an in-memory implementation.
/// </summary>
public interface ISipTransport : ISipMessageSender, IAsyncDisposable
{
    /// <summary>Binds every listener and starts receiving; each parsed message goes to <paramref name="handler"/>.</summary>
    Task StartAsync(IEnumerable<SipListenOptions> listeners, ISipMessageHandler handler, CancellationToken ct = default);

    /// <summary>Actual bound endpoints (port 0 replaced by the real port), in listener order.</summary>
    IReadOnlyList<SipEndPoint> LocalEndPoints { get; }
}
