using System.Security.Claims;
using Telephony.Host.Security;
using Telephony.Host.Statistics;
using Telephony.Recording.Statistics;
using Telephony.Recording.Statistics.Staffing;

namespace Telephony.Host.Api;

/// <summary>
/// The statistics HTTP API (docs/metrics.md): <c>GET /api/stats/queues</c>, <c>/api/stats/agents</c>,
/// <c>/api/stats/realtime</c> (JSON, or CSV with <c>Accept: text/csv</c> / <c>?format=csv</c>) and
/// <c>GET /api/staffing</c> (Erlang C). Bad parameters get <c>400 {"error": "…"}</c> naming the parameter.
/// </summary>
public static class StatisticsApi
{
    /// <summary>Maps the endpoints (one call from Program).</summary>
    public static void MapStatisticsApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/stats/queues", (HttpRequest request, StatisticsService stats, CancellationToken ct) => QueuesAsync(request, stats, ct))
            .RequireAuthorization(ConsoleRoles.SupervisorPolicy);
        app.MapGet("/api/stats/agents", (HttpRequest request, ClaimsPrincipal user, StatisticsService stats, CancellationToken ct) =>
        {
            // Supervisors and admins read every agent; an agent only itself (its filter is forced, another agent is 403).
            var who = ConsoleIdentity.From(user)!;
            if (!who.SeesAll)
            {
                var asked = request.Query["agent"].ToString();
                if (asked.Length > 0 && asked != who.User)
                {
                    return Task.FromResult(ApiResults.Forbidden("an agent reads only its own statistics"));
                }
                if (asked.Length == 0)
                {
                    request.QueryString = request.QueryString.Add("agent", who.User);
                }
            }
            return AgentsAsync(request, stats, ct);
        }).RequireAuthorization(ConsoleRoles.AgentPolicy);
        app.MapGet("/api/stats/realtime", (HttpRequest request, StatisticsService stats, CancellationToken ct) => RealtimeAsync(request, stats, ct))
            .RequireAuthorization(ConsoleRoles.SupervisorPolicy);
        app.MapGet("/api/staffing", (HttpRequest request, StatisticsService stats, CancellationToken ct) => StaffingAsync(request, stats, ct))
            .RequireAuthorization(ConsoleRoles.SupervisorPolicy);
    }

    /// <summary><c>GET /api/stats/queues?from=&amp;to=&amp;interval=&amp;queue=</c>.</summary>
    public static async Task<IResult> QueuesAsync(HttpRequest request, StatisticsService stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stats);
        if (!StatisticsQueryParser.TryParse(Param(request), stats.Zone, stats.Now, out StatisticsQuery? query, out string? error))
        {
            return BadRequest(error);
        }

        var (report, reportError) = await stats.QueueReportAsync(query, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return BadRequest(reportError);
        }

        var rows = report.Queues.Select(r => StatisticsRows.Queue(r, "interval")).ToList();
        var totals = report.QueueTotals.Select(r => StatisticsRows.Queue(r, "total")).ToList();
        return Respond(request, stats, query, rows, totals);
    }

    /// <summary><c>GET /api/stats/agents?from=&amp;to=&amp;interval=&amp;agent=</c>.</summary>
    public static async Task<IResult> AgentsAsync(HttpRequest request, StatisticsService stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stats);
        if (!StatisticsQueryParser.TryParse(Param(request), stats.Zone, stats.Now, out StatisticsQuery? query, out string? error))
        {
            return BadRequest(error);
        }

        var (report, reportError) = await stats.AgentReportAsync(query, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return BadRequest(reportError);
        }

        var rows = report.Agents.Select(r => StatisticsRows.Agent(r, "interval")).ToList();
        var totals = report.AgentTotals.Select(r => StatisticsRows.Agent(r, "total")).ToList();
        return Respond(request, stats, query, rows, totals);
    }

    /// <summary><c>GET /api/stats/realtime</c>: per queue the callers waiting, the longest current wait, its agents by
    /// state and today's figures so far; every agent's state.</summary>
    public static async Task<IResult> RealtimeAsync(HttpRequest request, StatisticsService stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stats);
        if (!TryFormat(request, out bool csv, out string? error))
        {
            return BadRequest(error);
        }

        RealtimeStatistics now = await stats.RealtimeAsync(cancellationToken).ConfigureAwait(false);
        var queues = RealtimeRows.Queues(now);
        if (csv)
        {
            return Results.Text(StatisticsRows.Csv(queues, nestedPrefix: null), "text/csv; charset=utf-8");
        }

        return Results.Json(new
        {
            now = StatisticsRows.Time(TimeZoneInfo.ConvertTime(now.Now, stats.Zone)),
            timeZone = stats.Zone.Id,
            today = new { from = StatisticsRows.Time(now.DayFrom), to = StatisticsRows.Time(now.DayTo) },
            queues,
            agents = RealtimeRows.Agents(now, stats.Zone),
        });
    }

    /// <summary><c>GET /api/staffing</c>: Erlang C for given figures, or per interval from a queue's measured volume
    /// and AHT (<c>queue=&amp;from=&amp;to=</c>).</summary>
    public static async Task<IResult> StaffingAsync(HttpRequest request, StatisticsService stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stats);
        if (!TryFormat(request, out bool csv, out string? error) || !StaffingParameters.TryParse(Param(request), out var p, out error))
        {
            return BadRequest(error);
        }

        if (p.Queue is null)
        {
            StaffingRequest single = p.Request(p.CallsPerInterval ?? 0, p.AhtSeconds ?? 0, p.IntervalMinutes * 60);
            if (!StaffingCalculator.TryCalculate(single, out StaffingResult? result, out StaffingError? refused))
            {
                return BadRequest(Parameter(refused.Message, refused.Field), Parameter(refused.Field));
            }

            var row = StatisticsRows.Staffing(result, p.Echo());
            return csv ? Results.Text(StatisticsRows.Csv([row]), "text/csv; charset=utf-8") : Results.Json(row);
        }

        return await StaffingForQueueAsync(request, stats, p, csv, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> StaffingForQueueAsync(HttpRequest request, StatisticsService stats, StaffingParameters p, bool csv,
        CancellationToken cancellationToken)
    {
        if (!StatisticsQueryParser.TryParse(Param(request), stats.Zone, stats.Now, out StatisticsQuery? query, out string? error))
        {
            return BadRequest(error);
        }

        if (p.Interval is not { } interval)
        {
            return BadRequest("intervalMinutes: with queue= it must be 15, 30, 60 or 1440 (a day)", "intervalMinutes");
        }

        if (stats.QueuesConfig?.Find(p.Queue!) is null)
        {
            return BadRequest($"queue: '{p.Queue}' is not a configured queue", "queue");
        }

        var (report, reportError) = await stats.QueueReportAsync(query with { Interval = interval }, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return BadRequest(reportError);
        }

        QueueIntervalStats total = report.QueueTotals.Single(t => t.Queue == p.Queue);
        var rows = new List<OrderedDictionary<string, object?>>();
        foreach (QueueIntervalStats measured in report.Queues.Where(r => r.Queue == p.Queue))
        {
            double? aht = measured.AhtSeconds ?? total.AhtSeconds ?? p.AhtSeconds;
            if (aht is null && measured.Offered > 0)
            {
                return BadRequest("ahtSeconds: the queue has no handled call in the range to measure it; give ahtSeconds", "ahtSeconds");
            }

            StaffingRequest r = p.Request(measured.Offered, aht ?? 1, measured.Interval.LengthSeconds);
            if (!StaffingCalculator.TryCalculate(r, out StaffingResult? result, out StaffingError? refused))
            {
                return BadRequest($"{StatisticsRows.Time(measured.Interval.Start)}: {Parameter(refused.Message, refused.Field)}", Parameter(refused.Field));
            }

            rows.Add(StatisticsRows.Staffing(result, new OrderedDictionary<string, object?>
            {
                ["queue"] = p.Queue,
                ["intervalStart"] = StatisticsRows.Time(measured.Interval.Start),
                ["intervalEnd"] = StatisticsRows.Time(measured.Interval.End),
                ["callsOffered"] = measured.Offered,
                ["measuredAhtSeconds"] = measured.AhtSeconds,
                ["ahtSeconds"] = aht,
            }));
        }

        if (csv)
        {
            return Results.Text(StatisticsRows.Csv(rows), "text/csv; charset=utf-8");
        }

        return Results.Json(new
        {
            queue = p.Queue,
            timeZone = stats.Zone.Id,
            interval = IntervalLengths.ToText(interval),
            from = StatisticsRows.Time(report.Intervals[0].Start),
            to = StatisticsRows.Time(report.Intervals[^1].End),
            parameters = p.Echo(),
            rows,
        });
    }

    private static IResult Respond(HttpRequest request, StatisticsService stats, StatisticsQuery query,
        List<OrderedDictionary<string, object?>> rows, List<OrderedDictionary<string, object?>> totals)
    {
        if (!TryFormat(request, out bool csv, out string? error))
        {
            return BadRequest(error);
        }

        if (csv)
        {
            return Results.Text(StatisticsRows.Csv(rows.Concat(totals)), "text/csv; charset=utf-8");
        }

        return Results.Json(new
        {
            timeZone = stats.Zone.Id,
            interval = IntervalLengths.ToText(query.Interval),
            from = StatisticsRows.Time(TimeZoneInfo.ConvertTime(query.From, stats.Zone)),
            to = StatisticsRows.Time(TimeZoneInfo.ConvertTime(query.To, stats.Zone)),
            now = StatisticsRows.Time(TimeZoneInfo.ConvertTime(stats.Now, stats.Zone)),
            rows,
            totals,
        });
    }

    /// <summary>CSV when <c>?format=csv</c>, or <c>Accept</c> names <c>text/csv</c> and no <c>format</c> is given.</summary>
    private static bool TryFormat(HttpRequest request, out bool csv, out string? error)
    {
        error = null;
        string? format = request.Query["format"];
        csv = format is null
            ? request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true)
            : format.Equals("csv", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !csv && !format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            error = $"format: '{format}' is not json or csv";
            return false;
        }

        return true;
    }

    private static Func<string, string?> Param(HttpRequest request) => name => request.Query[name].FirstOrDefault();

    /// <summary>The query parameter behind a field of the Erlang C calculator (its names differ for two of them), so a
    /// 400 names what the client sent.</summary>
    private static string Parameter(string field) => field switch
    {
        "serviceLevelTarget" => "targetServiceLevel",
        "serviceLevelSeconds" => "targetSeconds",
        "intervalSeconds" => "intervalMinutes",
        _ => field,
    };

    /// <summary>The calculator's message with its field renamed to the query parameter.</summary>
    private static string Parameter(string message, string field) =>
        message.StartsWith(field + ":", StringComparison.Ordinal) ? Parameter(field) + message[field.Length..] : message;

    private static IResult BadRequest(string? error, string? field = null) =>
        Results.Json(field is null ? new { error } : (object)new { error, field }, statusCode: StatusCodes.Status400BadRequest);
}
