namespace Telephony.Pbx.Queues.Commands;

/// <summary>
/// A callback takes its place in <paramref name="Queue"/>'s line (web or console request, an IVR <c>callback</c> node,
/// or a pending callback restored after a restart). <paramref name="ArrivedAt"/> is its original enqueue time (its
/// place in line: clamped to now when later); it is not dispatched before <paramref name="NotBefore"/> and is withdrawn
/// as expired (<see cref="Actions.CallbackRemoved"/>) when <paramref name="Deadline"/> passes while it waits.
/// </summary>
public sealed record CallbackQueued(
    string CallbackId,
    string Queue,
    int BasePriority,
    DateTimeOffset ArrivedAt,
    DateTimeOffset? NotBefore = null,
    DateTimeOffset? Deadline = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, string>? Data = null) : QueueCommand;
