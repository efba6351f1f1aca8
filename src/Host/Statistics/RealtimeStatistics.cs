using Telephony.Pbx.Queues.Configuration;
using Telephony.Recording.Statistics;
using Telephony.Recording.Storage;

namespace Telephony.Host.Statistics;

/// <summary>The real-time view (<c>GET /api/stats/realtime</c>): at <see cref="Now"/>, the callers waiting, every
/// agent's state, and today's queue totals (the business day [<see cref="DayFrom"/>, <see cref="DayTo"/>)) so far.</summary>
public sealed record RealtimeStatistics(
    DateTimeOffset Now,
    DateTimeOffset DayFrom,
    DateTimeOffset DayTo,
    IReadOnlyList<QueueIntervalStats> Today,
    IReadOnlyList<WaitingVisit> Waiting,
    IReadOnlyList<AgentCurrentState> Agents,
    QueuesConfig? Config);
