using BenchmarkDotNet.Attributes;
using Telephony.Recording.Statistics;

namespace Telephony.Benchmarks;

/// <summary>A 30-day report in 15 m intervals (Europe/Paris, across the October DST change) over 1 million queue calls
/// of 10 queues and 50 agents, plus their agent state spans, as the SQL reader would stream them: every row carries its
/// own queue and agent string instances.</summary>
[MemoryDiagnoser]
public class StatisticsBenchmarks
{
    private const int Calls = 1_000_000;
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly DateTimeOffset From = new(2025, 10, 10, 0, 0, 0, TimeSpan.FromHours(2));
    private static readonly DateTimeOffset To = new(2025, 11, 9, 0, 0, 0, TimeSpan.FromHours(1));

    private QueueCallFact[] _facts = [];
    private AgentStateSpan[] _spans = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        double rangeSeconds = (To - From).TotalSeconds;
        _facts = new QueueCallFact[Calls];
        for (var i = 0; i < Calls; i++)
        {
            // In time order, as ORDER BY entered_at would give them.
            DateTimeOffset entered = From.AddSeconds(rangeSeconds * i / Calls);
            var outcome = (QueueCallOutcome)random.Next(1, 6);
            _facts[i] = new QueueCallFact
            {
                Queue = string.Concat("queue-", random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                EnteredAt = entered,
                Outcome = outcome,
                OutcomeAt = entered.AddSeconds(random.Next(0, 300)),
                Agent = outcome == QueueCallOutcome.Answered
                    ? string.Concat("agent-", random.Next(50).ToString(System.Globalization.CultureInfo.InvariantCulture))
                    : null,
                TalkTime = TimeSpan.FromSeconds(random.Next(30, 600)),
                HoldTime = TimeSpan.FromSeconds(random.Next(0, 60)),
                WrapUpTime = TimeSpan.FromSeconds(10),
            };
        }

        var spans = new List<AgentStateSpan>();
        for (var agent = 0; agent < 50; agent++)
        {
            DateTimeOffset t = From;
            while (t < To)
            {
                DateTimeOffset end = t.AddSeconds(random.Next(60, 1800));
                spans.Add(new AgentStateSpan
                {
                    Agent = string.Concat("agent-", agent.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    State = (AgentActivity)random.Next(0, 6),
                    Reason = "break",
                    From = t,
                    To = end,
                });
                t = end;
            }
        }

        _spans = [.. spans];
    }

    /// <summary>The streaming part alone: grid, counters and 1 million <see cref="StatisticsAccumulator.AddCall"/>.</summary>
    [Benchmark]
    public StatisticsAccumulator Add1MCalls30Days15m()
    {
        StatisticsAccumulator accumulator = NewAccumulator();
        foreach (ref readonly QueueCallFact fact in _facts.AsSpan())
        {
            accumulator.AddCall(in fact);
        }

        return accumulator;
    }

    /// <summary>The whole report: calls, spans and <see cref="StatisticsAccumulator.Build"/> (10 × 2,884 queue rows
    /// and 50 × 2,884 agent rows).</summary>
    [Benchmark]
    public StatisticsReport Aggregate1MCallsAndSpans30Days15m()
    {
        StatisticsAccumulator accumulator = NewAccumulator();
        foreach (ref readonly QueueCallFact fact in _facts.AsSpan())
        {
            accumulator.AddCall(in fact);
        }

        foreach (ref readonly AgentStateSpan span in _spans.AsSpan())
        {
            accumulator.AddAgentSpan(in span);
        }

        return accumulator.Build();
    }

    private static StatisticsAccumulator NewAccumulator() => new(new StatisticsOptions
    {
        TimeZone = Paris,
        Interval = IntervalLength.Minutes15,
        From = From,
        To = To,
        Now = To,
    });
}
