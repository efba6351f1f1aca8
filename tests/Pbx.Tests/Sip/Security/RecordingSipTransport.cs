using System.Net;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Tests.Sip.Security;

/// <summary>An in-memory SIP transport for whole-server tests: records what the server sends; no sockets.</summary>
internal sealed class RecordingSipTransport : ISipTransport
{
    public static readonly SipEndPoint Local = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5060));

    private readonly List<(SipMessage Message, SipEndPoint Remote)> _sent = [];

    public IReadOnlyList<SipEndPoint> LocalEndPoints => [Local];

    public IReadOnlyList<(SipMessage Message, SipEndPoint Remote)> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public Task StartAsync(IEnumerable<SipListenOptions> listeners, ISipMessageHandler handler, CancellationToken ct = default) =>
        Task.CompletedTask;

    public ValueTask<bool> SendAsync(SipMessage message, SipEndPoint remote, CancellationToken ct = default)
    {
        lock (_sent)
        {
            _sent.Add((message, remote));
        }
        return ValueTask.FromResult(true);
    }

    public SipEndPoint ResponseDestination(SipRequest request, SipEndPoint receivedFrom) => receivedFrom;

    public SipEndPoint GetLocalEndPoint(SipProtocol protocol) => Local;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
