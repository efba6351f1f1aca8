namespace Telephony.Recording.Statistics;

/// <summary>
/// One agent in one state from <see cref="From"/> to <see cref="To"/>: the input row of <see
/// cref="StatisticsAccumulator.AddAgentSpan"/>. A window query over the agent state events fills it in one pass
/// (<c>LEAD(occurred_at) OVER (PARTITION BY agent ORDER BY occurred_at)</c> gives <see cref="To"/>), starting with
/// the last state change before the report's start so the state in force at the start is known. Spans of one agent
/// must not overlap.
/// </summary>
public readonly record struct AgentStateSpan
{
    public required string Agent { get; init; }

    public required AgentActivity State { get; init; }

    /// <summary>Pause reason (<see cref="AgentActivity.Paused"/> only); null or empty is reported as <see
    /// cref="AgentIntervalStats.UnspecifiedReason"/>.</summary>
    public string? Reason { get; init; }

    public required DateTimeOffset From { get; init; }

    /// <summary>End of the span; null while the agent is still in this state (the span is cut at <see
    /// cref="StatisticsOptions.Now"/>).</summary>
    public DateTimeOffset? To { get; init; }
}
