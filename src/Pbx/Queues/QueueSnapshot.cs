using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Queues;

/// <summary>A read-only view of one queue: callers in service order, staffing and average handle time.</summary>
public sealed record QueueSnapshot(
    string Name,
    QueueStrategy Strategy,
    IReadOnlyList<CallSnapshot> Calls,
    int StaffedAgents,
    TimeSpan AverageHandleTime,
    bool Retired);
