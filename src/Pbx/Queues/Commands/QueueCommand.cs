namespace Telephony.Pbx.Queues.Commands;

/// <summary>An input to the queue scheduler: something that happened to a caller or an agent. The scheduler is the
/// only writer of queue state; everything else reports events by posting commands (see <c>Queues/README.md</c>).</summary>
public abstract record QueueCommand;
