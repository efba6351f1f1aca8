namespace Telephony.Host.Cluster;

/// <summary>A call in progress on another node, as its live events on the cluster bus describe it (<see cref="BusLiveView"/>).</summary>
public sealed record RemoteCall(string Node, string Id, string? Kind, string? Caller, string? Dialed, DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt, string? Agent, string? Queue);
