namespace Telephony.Pbx.Queues.Commands;

/// <summary>The bridged agent of <paramref name="InteractionId"/> was lost without hanging up (a browser phone whose page
/// reloaded did not come back within the reattach grace): the call goes back to <b>the head</b> of its queue, ahead of
/// every other waiting caller whatever their priority, and the agent is released (logged out when its logout was pending,
/// i.e. its phone is gone; otherwise available, no wrap-up: the conversation was cut, not finished). Ignored unless the
/// call is connected.</summary>
public sealed record AgentLost(string InteractionId) : QueueCommand;
