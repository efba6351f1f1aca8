namespace Telephony.Cluster.Leases;

/// <summary>A queue owner's decision, as stored: the caller <see cref="CallId"/> (media on <see cref="Node"/>) is to be
/// offered to <see cref="Agent"/>, decided under fencing token <see cref="Token"/>.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="CallId">The waiting caller.</param>
/// <param name="Node">The node holding the caller's media: it rings the agent.</param>
/// <param name="Agent">The agent chosen by the owner.</param>
/// <param name="Token">The owner's fencing token.</param>
public sealed record QueueAssignment(string Queue, string CallId, string Node, string Agent, long Token);
