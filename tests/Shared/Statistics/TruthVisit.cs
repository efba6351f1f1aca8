namespace Telephony.Tests.Shared.Statistics;

/// <summary>One queue visit as a statistics generator made and saw it (docs/metrics.md: entered, then one outcome).</summary>
internal sealed record TruthVisit(string Queue, DateTimeOffset Entered, string Outcome, DateTimeOffset OutcomeAt, string? Agent,
    double TalkSeconds, double WrapUpSeconds);
