namespace Telephony.Cluster.Bus;

/// <summary>How a request over the bus ended (<see cref="ClusterBus.RequestAsync"/>).</summary>
public enum BusReplyOutcome
{
    /// <summary>A node answered: <see cref="BusReply.Message"/> is its final reply.</summary>
    Replied,

    /// <summary>No node acknowledged the request in time: no node has what was asked for.</summary>
    NoTaker,

    /// <summary>A node acknowledged but sent no final reply in time (it died, or the bus failed).</summary>
    TimedOut,

    /// <summary>The request was not sent (no bus, or too large).</summary>
    NotSent,
}
