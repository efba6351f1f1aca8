using Telephony.Cluster.Calls;
using Telephony.Cluster.Dispatch;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Host.Cluster;

/// <summary>
/// A cluster queue's owner orders its line with the queue scheduler's own function (<see cref="QueueOrderKey"/>): the
/// queue's priority aging (queues.yaml, the same on every node) raises a row's priority by the time since its first entry
/// (<see cref="ClusterCall.EnteredAt"/>, a callback's original arrival), then first entry, then entry sequence.
/// </summary>
/// <param name="config">The queues' configuration now (hot reloads included); null: no aging.</param>
public sealed class ClusterLineOrder(Func<QueuesConfig?> config) : ILineOrder
{
    public int Compare(OwnedQueue queue, DateTimeOffset now, ClusterCall a, ClusterCall b)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var aging = config()?.Find(queue.Name)?.PriorityAging ?? PriorityAging.None;
        var order = QueueOrderKey.Compare(KeyOf(a, aging, now), KeyOf(b, aging, now));
        return order != 0 ? order : string.CompareOrdinal(a.CallId, b.CallId);
    }

    private static QueueOrderKey KeyOf(ClusterCall call, PriorityAging aging, DateTimeOffset now) =>
        QueueOrderKey.Of(aging, now, call.Priority ?? 0, call.EnteredAt ?? call.StartedAt, call.Entry ?? long.MaxValue);
}
