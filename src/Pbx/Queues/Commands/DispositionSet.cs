namespace Telephony.Pbx.Queues.Commands;

/// <summary>
/// <paramref name="Agent"/> set disposition codes on the queue call of <paramref name="InteractionId"/> (by HTTP or by
/// the phone's keypad). During the call it satisfies the queue's <c>dispositionRequired</c> in advance; in wrap-up it lets
/// an agent held there by a missing disposition go on. Ignored for any other call.
/// </summary>
public sealed record DispositionSet(string Agent, string InteractionId) : QueueCommand;
