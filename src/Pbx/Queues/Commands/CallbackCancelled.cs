namespace Telephony.Pbx.Queues.Commands;

/// <summary>
/// The callback leaves the line for good (cancelled by a supervisor, or its last attempt failed): ringing legs are
/// cancelled and a reserved agent is released without wrap-up. Emits <see cref="Actions.CallbackRemoved"/>; never an
/// abandon. Ignored for callers and unknown ids.
/// </summary>
public sealed record CallbackCancelled(string CallbackId, string Reason) : QueueCommand;
