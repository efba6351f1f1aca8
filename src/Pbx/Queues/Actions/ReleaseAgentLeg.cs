namespace Telephony.Pbx.Queues.Actions;

/// <summary>Call layer: an agent answered an offer that had already been cancelled (the 200 crossed our CANCEL);
/// hang up that leg with BYE. The agent's state is not changed by it.</summary>
public sealed record ReleaseAgentLeg(long OfferId, string Agent) : QueueAction;
