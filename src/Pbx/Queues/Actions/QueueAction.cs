namespace Telephony.Pbx.Queues.Actions;

/// <summary>An output of the queue scheduler: either work for the call layer (ring, cancel, bridge, announce,
/// overflow) or an event for statistics and the API (abandoned, completed, agent state).</summary>
public abstract record QueueAction;
