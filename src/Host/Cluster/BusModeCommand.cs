namespace Telephony.Host.Cluster;

/// <summary>A mode switch sent over the cluster bus to the node that has supervision <paramref name="Id"/>, with who asked (checked there as locally).</summary>
public sealed record BusModeCommand(string Id, string Mode, string User, bool IsAdmin);
