using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Queues.Actions;

/// <summary>The caller reached the max wait of <paramref name="FromQueue"/>. For <see cref="OverflowKind.Queue"/> the
/// scheduler has already moved the caller (keep hold audio); for transfer and hangup the call layer executes the
/// target and the scheduler forgets the caller.</summary>
public sealed record CallOverflowed(string InteractionId, string FromQueue, OverflowTarget Target, TimeSpan Waited) : QueueAction;
