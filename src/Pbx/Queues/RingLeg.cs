namespace Telephony.Pbx.Queues;

/// <summary>One ringing offer of a call to an agent, identified by <see cref="OfferId"/>.</summary>
internal sealed class RingLeg(long offerId, QueueCall call, QueueAgent agent)
{
    public long OfferId { get; } = offerId;
    public QueueCall Call { get; } = call;
    public QueueAgent Agent { get; } = agent;
}
