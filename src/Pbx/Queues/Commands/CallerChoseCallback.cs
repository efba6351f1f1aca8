namespace Telephony.Pbx.Queues.Commands;

/// <summary>
/// The waiting (or ringing) caller <paramref name="InteractionId"/> asked to be called back: its entry becomes the
/// callback <paramref name="CallbackId"/> in place, keeping its queue, arrival time, arrival sequence, priority, tags and
/// data (merged with <paramref name="Data"/>): no line jumping, no loss of place. Ringing legs are cancelled. The
/// caller's stay ends without an abandon (<see cref="Actions.CallbackAccepted"/> names the caller); the caller may now
/// hang up. Ignored unless the caller is waiting or ringing.
/// </summary>
public sealed record CallerChoseCallback(
    string InteractionId,
    string CallbackId,
    DateTimeOffset? NotBefore = null,
    DateTimeOffset? Deadline = null,
    IReadOnlyDictionary<string, string>? Data = null) : QueueCommand;
