namespace Telephony.Cluster.Bus;

/// <summary>The message kinds the bus itself understands (requests and their answers); the rest belong to the host.</summary>
public static class BusKinds
{
    /// <summary>"I have what you asked for and am working on it": the request's sender waits for the final reply.</summary>
    public const string Ack = "ack";

    /// <summary>The final answer to a request.</summary>
    public const string Reply = "reply";

    /// <summary>"Durable messages were appended": the nodes read <c>cluster_bus_log</c> after their position
    /// (<see cref="ClusterBus.PublishDurableAsync"/>).</summary>
    public const string LogWake = "bus.log";
}
