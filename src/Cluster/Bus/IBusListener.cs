namespace Telephony.Cluster.Bus;

/// <summary>What a node does with the messages other nodes send it (<see cref="ClusterBus"/> calls it, one message at a time, in order).</summary>
public interface IBusListener
{
    /// <summary>
    /// A message from another node: an event, or a request to answer with <see cref="ClusterBus.PublishAsync"/> of
    /// <see cref="BusMessage.ReplyWith"/>. Long work must not hold the bus: start it and return.
    /// </summary>
    Task OnMessageAsync(BusMessage message, CancellationToken cancellationToken);

    /// <summary>The bus (re)connected (<paramref name="connected"/> true) or lost its connection (with the reason).</summary>
    void OnConnectionChanged(bool connected, string? reason);
}
