namespace Telephony.Host.Surveys;

/// <summary>
/// How a post-call survey ended: the survey flow, the queue and agent the caller had been connected to, the score (the
/// flow's <c>csat</c> variable, 1-5; null when the caller gave none: hung up, or no key) and every answer collected
/// (<paramref name="Answers"/>, the flow's variables but <c>end_reason</c> and <c>last_node</c>).
/// </summary>
public sealed record SurveyResult(
    string Flow,
    string? Queue,
    string? Agent,
    int? Score,
    IReadOnlyDictionary<string, string> Answers,
    string EndReason,
    DateTimeOffset At)
{
    /// <summary>The variable of a survey flow that holds the score.</summary>
    public const string ScoreVariable = "csat";

    /// <summary>Scores at or below this raise a <c>low_csat</c> alert.</summary>
    public const int LowScore = 2;
}
