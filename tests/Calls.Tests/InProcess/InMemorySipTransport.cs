using System.Net;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>
/// The server's SIP transport on an <see cref="InMemorySipNetwork"/>: UDP semantics (RFC 3261 §18), the same Via
/// fix-up on receipt (received=, rport) and the same response routing as <see cref="SipTransportLayer"/>.
/// </summary>
internal sealed class InMemorySipTransport(InMemorySipNetwork network, IPEndPoint address) : ISipTransport
{
    private static readonly SipTransportLayer Routing = new(); // never started: only its response routing is used
    private readonly SipEndPoint _local = new(SipProtocol.Udp, address);
    private ISipMessageHandler? _handler;

    public IReadOnlyList<SipEndPoint> LocalEndPoints => [_local];

    public Task StartAsync(IEnumerable<SipListenOptions> listeners, ISipMessageHandler handler, CancellationToken ct = default)
    {
        _handler = handler;
        network.Attach(address, async (message, from) =>
        {
            if (message is SipRequest request)
            {
                ViaFixup.Apply(request, from.EndPoint);
            }
            await handler.OnMessageAsync(message, from, _local).ConfigureAwait(false);
        });
        return Task.CompletedTask;
    }

    public ValueTask<bool> SendAsync(SipMessage message, SipEndPoint remote, CancellationToken ct = default)
    {
        network.Send(message, _local, remote.EndPoint);
        return ValueTask.FromResult(true);
    }

    public SipEndPoint ResponseDestination(SipRequest request, SipEndPoint receivedFrom) =>
        Routing.ResponseDestination(request, receivedFrom);

    public SipEndPoint GetLocalEndPoint(SipProtocol protocol) => _local;

    public ValueTask DisposeAsync()
    {
        network.Detach(address);
        _handler = null;
        return ValueTask.CompletedTask;
    }
}
