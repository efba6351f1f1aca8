namespace Telephony.Pbx.Queues.Commands;

/// <summary>The result of a <see cref="Actions.RingAgent"/> leg, identified by its <paramref name="OfferId"/>.
/// A result for an offer that no longer exists is ignored, except that a late answer is released
/// (<see cref="Actions.ReleaseAgentLeg"/>): this is the CANCEL-crossing-200 race.</summary>
public sealed record AgentRingResult(long OfferId, RingOutcome Outcome) : QueueCommand;
