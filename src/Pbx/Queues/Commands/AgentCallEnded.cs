namespace Telephony.Pbx.Queues.Commands;

/// <summary>The bridged call of <paramref name="InteractionId"/> ended (either side hung up, or the agent transferred
/// the caller away). The agent enters wrap-up. Ending an already-ended call is ignored.</summary>
public sealed record AgentCallEnded(string InteractionId) : QueueCommand;
