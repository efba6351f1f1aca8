using System.Globalization;
using System.Text;
using Telephony.Recording.Statistics;
using Telephony.Recording.Statistics.Staffing;

namespace Telephony.Host.Statistics;

/// <summary>
/// The rows of the statistics API, written once for both shapes: each row is an ordered list of named fields, which
/// become a JSON object (<c>Accept: application/json</c>, the default) or a CSV line under a header of the same names
/// (<c>Accept: text/csv</c> or <c>?format=csv</c>; RFC 4180: comma separated, CRLF, fields quoted when needed,
/// numbers in invariant culture, empty for null). Field meanings: docs/metrics.md.
/// </summary>
public static class StatisticsRows
{
    /// <summary>One queue × interval (or the whole range).</summary>
    public static OrderedDictionary<string, object?> Queue(QueueIntervalStats r, string scope)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new OrderedDictionary<string, object?>
        {
            ["scope"] = scope,
            ["queue"] = r.Queue,
            ["intervalStart"] = Time(r.Interval.Start),
            ["intervalEnd"] = Time(r.Interval.End),
            ["offered"] = r.Offered,
            ["answered"] = r.Answered,
            ["abandoned"] = r.Abandoned,
            ["shortAbandoned"] = r.ShortAbandoned,
            ["overflowed"] = r.Overflowed,
            ["answeredWithinThreshold"] = r.AnsweredWithinThreshold,
            ["serviceLevel"] = r.ServiceLevel,
            ["abandonRate"] = r.AbandonRate,
            ["asaSeconds"] = r.AsaSeconds,
            ["avgWaitSeconds"] = r.AvgWaitSeconds,
            ["longestWaitSeconds"] = r.LongestWaitSeconds,
            ["ahtSeconds"] = r.AhtSeconds,
            ["callbacksRequested"] = r.CallbacksRequested,
            ["callbacksCompleted"] = r.CallbacksCompleted,
            ["waiting"] = r.Waiting,
            ["other"] = r.Other,
            ["abandonedWithinThreshold"] = r.AbandonedWithinThreshold,
            ["serviceLevelAnsweredOnly"] = r.ServiceLevelAnsweredOnly,
            ["serviceLevelAbandonsMet"] = r.ServiceLevelAbandonsMet,
            ["serviceLevelSeconds"] = r.ServiceLevelSeconds,
            ["shortAbandonSeconds"] = r.ShortAbandonSeconds,
            ["answeredWaitSeconds"] = r.AnsweredWaitSeconds,
            ["waitCount"] = r.WaitCount,
            ["waitSeconds"] = r.WaitSeconds,
            ["handledCount"] = r.HandledCount,
            ["handleSeconds"] = r.HandleSeconds,
        };
    }

    /// <summary>One agent × interval (or the whole range); pause time by reason is an object in JSON and one
    /// <c>paused:&lt;reason&gt;</c> column per reason in CSV.</summary>
    public static OrderedDictionary<string, object?> Agent(AgentIntervalStats r, string scope)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new OrderedDictionary<string, object?>
        {
            ["scope"] = scope,
            ["agent"] = r.Agent,
            ["intervalStart"] = Time(r.Interval.Start),
            ["intervalEnd"] = Time(r.Interval.End),
            ["handled"] = r.Handled,
            ["talkSeconds"] = r.TalkSeconds,
            ["wrapUpSeconds"] = r.WrapUpSeconds,
            ["ringingSeconds"] = r.RingingSeconds,
            ["availableSeconds"] = r.AvailableSeconds,
            ["pausedSeconds"] = r.PausedSeconds,
            ["pausedSecondsByReason"] = new SortedDictionary<string, double>(
                r.PausedSecondsByReason.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal),
            ["staffedSeconds"] = r.StaffedSeconds,
            ["occupancy"] = r.Occupancy,
        };
    }

    /// <summary>An Erlang C answer (<c>GET /api/staffing</c>).</summary>
    public static OrderedDictionary<string, object?> Staffing(StaffingResult r, OrderedDictionary<string, object?>? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        var row = prefix ?? [];
        row["trafficErlangs"] = r.TrafficErlangs;
        row["agents"] = r.Agents;
        row["scheduledAgents"] = r.ScheduledAgents;
        row["serviceLevel"] = r.ServiceLevel;
        row["probabilityOfWaiting"] = r.ProbabilityOfWaiting;
        row["asaSeconds"] = r.AsaSeconds;
        row["occupancy"] = r.Occupancy;
        row["meetsTarget"] = r.MeetsTarget;
        return row;
    }

    /// <summary>An instant as ISO 8601 with the offset it carries (the business zone's).</summary>
    public static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFzzz", CultureInfo.InvariantCulture);

    /// <summary>Rows as CSV: the header is the union of the rows' fields in order of first appearance; a nested
    /// dictionary (pause reasons) becomes one <c>name:key</c> column per key.</summary>
    public static string Csv(IEnumerable<OrderedDictionary<string, object?>> rows, string? nestedPrefix = "paused")
    {
        ArgumentNullException.ThrowIfNull(rows);
        var flat = rows.Select(Flatten).ToList();
        var header = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in flat)
        {
            foreach (string key in row.Keys)
            {
                if (seen.Add(key))
                {
                    header.Add(key);
                }
            }
        }

        var text = new StringBuilder();
        text.Append(string.Join(',', header.Select(Quote))).Append("\r\n");
        foreach (var row in flat)
        {
            text.Append(string.Join(',', header.Select(h => Quote(Format(row.GetValueOrDefault(h)))))).Append("\r\n");
        }

        return text.ToString();

        OrderedDictionary<string, object?> Flatten(OrderedDictionary<string, object?> row)
        {
            var result = new OrderedDictionary<string, object?>();
            foreach (var (key, value) in row)
            {
                if (value is IDictionary<string, double> nested)
                {
                    foreach (var (k, v) in nested)
                    {
                        result[(nestedPrefix ?? key) + ":" + k] = v;
                    }
                }
                else
                {
                    result[key] = value;
                }
            }

            return result;
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
