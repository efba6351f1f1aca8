namespace Telephony.Pbx.Calls;

/// <summary>
/// The last queue call an agent was bridged to: the call (<paramref name="CallId"/>, the call record's id), its
/// interaction, the queue it was answered from and when. What a disposition dialed in wrap-up (<c>*5N</c>) applies to.
/// </summary>
public sealed record AgentQueueCall(string Agent, string CallId, string InteractionId, string Queue, DateTimeOffset ConnectedAt);
