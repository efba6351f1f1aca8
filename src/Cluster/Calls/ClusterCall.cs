namespace Telephony.Cluster.Calls;

/// <summary>
/// A row of <c>cluster_calls</c>: a call whose media lives on <see cref="Node"/> and, while it waits in a queue, its place
/// in line (<see cref="Queue"/>, <see cref="Priority"/>, <see cref="EnteredAt"/>, <see cref="Entry"/>).
/// </summary>
/// <param name="CallId">The call (its call record's id).</param>
/// <param name="Node">The node holding the call's media.</param>
/// <param name="Caller">The caller's number, null when unknown.</param>
/// <param name="Dialed">The number dialed, null when unknown.</param>
/// <param name="StartedAt">When the call started.</param>
/// <param name="Queue">The queue it waits in, null when it is not waiting (IVR, talking to an agent...).</param>
/// <param name="Priority">Its base priority in that queue.</param>
/// <param name="EnteredAt">Its first entry in a queue in this stay: its place in line.</param>
/// <param name="Entry">Cluster-wide entry sequence (ties in time keep the order of arrival).</param>
/// <param name="Agent">The agent the queue's owner assigned it to (being rung), null while unassigned.</param>
/// <param name="IsCallback">A pending callback of the node's queue scheduler (no caller on the line: <see cref="CallId"/> is
/// the callback's id), in line at its original arrival (<see cref="EnteredAt"/>) like a caller.</param>
/// <param name="NotBefore">A callback's earliest dispatch time (retry delay, opening hours; the node's clock), null: due.</param>
public sealed record ClusterCall(
    string CallId,
    string Node,
    string? Caller,
    string? Dialed,
    DateTimeOffset StartedAt,
    string? Queue = null,
    int? Priority = null,
    DateTimeOffset? EnteredAt = null,
    long? Entry = null,
    string? Agent = null,
    bool IsCallback = false,
    DateTimeOffset? NotBefore = null)
{
    /// <summary>True while the call waits (or is being offered) in a queue.</summary>
    public bool IsWaiting => Queue is not null;

    /// <summary>True when the owner may assign it an agent at <paramref name="now"/>: it waits unassigned and, for a
    /// callback, is due.</summary>
    public bool IsDue(DateTimeOffset now) => IsWaiting && Agent is null && (NotBefore is not { } notBefore || notBefore <= now);

    /// <summary>
    /// The service order of waiting callers, as the queue scheduler's (src/Pbx/Queues README): higher priority first, then
    /// earlier entry, then entry sequence. Calls not waiting sort last.
    /// </summary>
    public static int CompareWaitingOrder(ClusterCall? a, ClusterCall? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }
        if (a is null || b is null)
        {
            return a is null ? 1 : -1;
        }
        if (a.IsWaiting != b.IsWaiting)
        {
            return a.IsWaiting ? -1 : 1;
        }
        int byPriority = (b.Priority ?? 0).CompareTo(a.Priority ?? 0);
        if (byPriority != 0)
        {
            return byPriority;
        }
        int byTime = Nullable.Compare(a.EnteredAt, b.EnteredAt);
        if (byTime != 0)
        {
            return byTime;
        }
        int byEntry = Nullable.Compare(a.Entry, b.Entry);
        return byEntry != 0 ? byEntry : string.CompareOrdinal(a.CallId, b.CallId);
    }
}
