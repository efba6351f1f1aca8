using Telephony.Recording.Statistics;

namespace Telephony.Recording.Tests.Statistics;

/// <summary>Short builders for call facts and agent spans.</summary>
internal static class Facts
{
    public static QueueCallFact Answered(string queue, DateTimeOffset entered, double waitSeconds, string agent,
        double talkSeconds = 120, double holdSeconds = 0, double wrapUpSeconds = 10) => new()
    {
        Queue = queue,
        EnteredAt = entered,
        Outcome = QueueCallOutcome.Answered,
        OutcomeAt = entered.AddSeconds(waitSeconds),
        Agent = agent,
        TalkTime = TimeSpan.FromSeconds(talkSeconds),
        HoldTime = TimeSpan.FromSeconds(holdSeconds),
        WrapUpTime = TimeSpan.FromSeconds(wrapUpSeconds),
    };

    public static QueueCallFact Ended(string queue, DateTimeOffset entered, QueueCallOutcome outcome, double? waitSeconds,
        DateTimeOffset? callbackCompletedAt = null) => new()
    {
        Queue = queue,
        EnteredAt = entered,
        Outcome = outcome,
        OutcomeAt = waitSeconds is { } w ? entered.AddSeconds(w) : null,
        CallbackCompletedAt = callbackCompletedAt,
    };

    public static QueueCallFact Waiting(string queue, DateTimeOffset entered) => new()
    {
        Queue = queue,
        EnteredAt = entered,
        Outcome = QueueCallOutcome.Waiting,
    };

    public static AgentStateSpan Span(string agent, AgentActivity state, DateTimeOffset from, DateTimeOffset? to, string? reason = null) => new()
    {
        Agent = agent,
        State = state,
        From = from,
        To = to,
        Reason = reason,
    };
}
