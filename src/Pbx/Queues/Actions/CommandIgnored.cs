using Telephony.Pbx.Queues.Commands;

namespace Telephony.Pbx.Queues.Actions;

/// <summary>A command that did not apply to the current state (e.g. resume an agent who is not paused); nothing
/// changed. Lets the API and feature codes tell the user why.</summary>
public sealed record CommandIgnored(QueueCommand Command, string Reason) : QueueAction;
