using System.Threading.Channels;
using Telephony.Cluster.Bus;

namespace Telephony.Cluster.Tests.Bus;

/// <summary>An <see cref="IBusListener"/> that keeps what it gets, and answers requests of kind <c>echo</c>.</summary>
internal sealed class RecordingListener : IBusListener
{
    private readonly Channel<BusMessage> _messages = Channel.CreateUnbounded<BusMessage>();
    private readonly Channel<bool> _connections = Channel.CreateUnbounded<bool>();

    public ClusterBus? Bus { get; set; }

    public ChannelReader<BusMessage> Messages => _messages.Reader;

    public ChannelReader<bool> Connections => _connections.Reader;

    public async Task OnMessageAsync(BusMessage message, CancellationToken cancellationToken)
    {
        _messages.Writer.TryWrite(message);
        if (message.Kind == "echo" && Bus is { } bus)
        {
            await bus.PublishAsync(message.ReplyWith(BusKinds.Ack, bus.Node, null), cancellationToken);
            await bus.PublishAsync(message.ReplyWith(BusKinds.Reply, bus.Node, message.Body), cancellationToken);
        }
    }

    public void OnConnectionChanged(bool connected, string? reason) => _connections.Writer.TryWrite(connected);
}
