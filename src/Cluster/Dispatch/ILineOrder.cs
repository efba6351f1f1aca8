using Telephony.Cluster.Calls;

namespace Telephony.Cluster.Dispatch;

/// <summary>
/// The service order of a queue's line as its owner applies it: the host gives the queue scheduler's own order
/// (priority aging included, <c>src/Pbx/Queues</c>), so a cluster queue serves callers and callbacks exactly as a single
/// server would. Without one, the owner keeps the stored order (<see cref="ClusterCall.CompareWaitingOrder"/>: base
/// priority, first entry, entry sequence).
/// </summary>
public interface ILineOrder
{
    /// <summary>Negative when <paramref name="a"/> is served before <paramref name="b"/> in <paramref name="queue"/> at
    /// <paramref name="now"/>.</summary>
    int Compare(OwnedQueue queue, DateTimeOffset now, ClusterCall a, ClusterCall b);
}
