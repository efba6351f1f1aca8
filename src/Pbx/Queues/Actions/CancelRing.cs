namespace Telephony.Pbx.Queues.Actions;

/// <summary>Call layer: CANCEL the agent leg <paramref name="OfferId"/> (ring timeout, caller hung up, another agent
/// answered, agent paused or logged out). No <c>AgentRingResult</c> is expected for it any more.</summary>
public sealed record CancelRing(long OfferId, string InteractionId, string Agent, CancelReason Reason) : QueueAction;
