using System.Text.Json;

namespace Telephony.Tests.Shared.Statistics;

/// <summary>
/// Compares a row of the statistics API (<c>/api/stats/queues</c>, <c>/api/stats/agents</c>, <c>/api/stats/realtime</c>)
/// with the fields expected by a <see cref="DayGroundTruth"/>: counts exactly, ratios and times within a
/// <see cref="StatsTolerance"/>.
/// </summary>
internal static class StatsRowAssert
{
    /// <summary>Fields that count calls, agents or whole seconds of configuration: compared exactly.</summary>
    private static readonly HashSet<string> CountFields = new(StringComparer.Ordinal)
    {
        "offered", "answered", "abandoned", "shortAbandoned", "overflowed", "answeredWithinThreshold", "callbacksRequested",
        "callbacksCompleted", "waiting", "other", "abandonedWithinThreshold", "waitCount", "handledCount", "handled",
        "serviceLevelSeconds", "shortAbandonSeconds", "agentsLoggedOut", "agentsAvailable", "agentsRinging", "agentsOnCall",
        "agentsWrapUp", "agentsPaused", "offeredToday", "answeredToday", "abandonedToday", "shortAbandonedToday",
        "answeredWithinThresholdToday",
    };

    /// <summary>Fields in [0, 1].</summary>
    private static readonly HashSet<string> RatioFields = new(StringComparer.Ordinal)
    {
        "serviceLevel", "abandonRate", "occupancy", "serviceLevelAnsweredOnly", "serviceLevelAbandonsMet", "serviceLevelToday",
        "abandonRateToday",
    };

    /// <summary>Asserts every expected field of <paramref name="row"/> (any other field is a time) and returns how many
    /// were checked.</summary>
    public static int Compare(Dictionary<string, double?> expected, JsonElement row, string where, StatsTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(tolerance);
        foreach (var (field, value) in expected)
        {
            Assert.True(row.TryGetProperty(field, out JsonElement actual), $"{where}: no field {field}");
            if (value is null)
            {
                Assert.True(actual.ValueKind == JsonValueKind.Null, $"{where} {field}: expected null, got {actual}");
                continue;
            }

            Assert.True(actual.ValueKind == JsonValueKind.Number, $"{where} {field}: expected {value}, got {actual}");
            if (CountFields.Contains(field))
            {
                Assert.True(value.Value == actual.GetDouble(), $"{where} {field}: expected {value}, got {actual}");
            }
            else if (RatioFields.Contains(field))
            {
                Assert.True(Math.Abs(value.Value - actual.GetDouble()) <= tolerance.RatioAbsolute,
                    $"{where} {field}: expected {value}, got {actual}");
            }
            else
            {
                Close(value.Value, actual.GetDouble(), $"{where} {field}", tolerance);
            }
        }

        return expected.Count;
    }

    /// <summary>A time: within the tolerance's relative part of <paramref name="expected"/> or its absolute seconds,
    /// whichever is larger.</summary>
    public static void Close(double expected, double actual, string what, StatsTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(tolerance);
        double allowed = Math.Max(tolerance.TimeAbsoluteSeconds, Math.Abs(expected) * tolerance.TimeRelative);
        Assert.True(Math.Abs(expected - actual) <= allowed, $"{what}: expected {expected:F3}, got {actual:F3}");
    }
}
