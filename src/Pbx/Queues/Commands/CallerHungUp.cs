namespace Telephony.Pbx.Queues.Commands;

/// <summary>The caller hung up (waiting: abandoned; being offered: every ringing leg is cancelled; connected: the call
/// ends as with <see cref="AgentCallEnded"/>).</summary>
public sealed record CallerHungUp(string InteractionId) : QueueCommand;
