namespace Telephony.Pbx.Queues.Actions;

/// <summary>Call layer: the agent answered offer <paramref name="OfferId"/>; stop hold audio and bridge the caller
/// to that leg. Report the end of the bridged call with <c>AgentCallEnded</c>.</summary>
public sealed record BridgeCallToAgent(long OfferId, string InteractionId, string Agent, string Queue) : QueueAction;
