using System.Security.Claims;
using System.Text.Json;
using Telephony.Host.Cluster;
using Telephony.Host.Security;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Server;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// Endpoints the web console needs beside the existing API: <c>GET /api/console/live-calls</c> (supervisor: calls in
/// progress with caller, agent, queue, duration, IVR path and who supervises them in which mode; on a cluster node each
/// with its <c>node</c>, the other nodes' calls included, from the cluster bus),
/// <c>GET /api/console/calls</c> (the call search with queue and number-substring filters and a total, agents: their own),
/// <c>GET /api/calls/{id}/timeline</c> (the call's events in order: IVR, queue, agent rung, answered, transfers,
/// supervision, recording, hang-up; agents: their own calls) and <c>GET /api/admin/users</c> (admin: console users and
/// roles, never secrets). The figures of the day come from the statistics API (<c>/api/stats/*</c>, docs/metrics.md).
/// </summary>
public static class ConsoleApi
{
    public static void MapConsoleApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/console/live-calls", LiveCallsAsync).RequireAuthorization(ConsoleRoles.SupervisorPolicy).WithTags("Console")
            .WithSummary("Calls in progress: caller, agent, queue, duration, IVR path, supervision");
        app.MapGet("/api/console/calls", SearchAsync).WithTags("Console")
            .WithSummary("Search call records (date range, number, agent, queue, outcome, disposition code, csat score 4 or range 1-2), paged with a total; agents see their own");
        app.MapGet("/api/calls/{id}/timeline", TimelineAsync).WithTags("Console")
            .WithSummary("A call's events in order (IVR, queue, agents, answer, transfers, supervision, recording, hang-up)");
        app.MapGet("/api/admin/users", (AccountDirectory accounts) => Results.Json(accounts.Accounts
            .OrderBy(a => a.User, StringComparer.Ordinal)
            .Select(a => new { user = a.User, name = a.Name, role = ConsoleRoles.Parse(a.Role), consoleAccess = ConsoleRoles.Parse(a.Role) is not null })))
            .RequireAuthorization(ConsoleRoles.AdminPolicy).WithTags("Admin: configuration").WithSummary("Console users and their roles");
        app.MapAgentDesktopApi();
        app.MapAgentCallbacksApi();
    }

    private static async Task<IResult> LiveCallsAsync(PbxServer server, Database db, BusNode bus, CancellationToken ct)
    {
        string? node = bus.Enabled ? bus.Node : null; // on a cluster node each call says where its media is
        var calls = server.Calls.Calls.Where(c => !c.IsEnded).ToList();
        var supervisors = calls.OfType<SupervisorCall>().ToList();
        var store = new CallStore(db);
        var now = DateTimeOffset.UtcNow;
        var rows = new List<object>();
        foreach (var call in calls.Where(c => c is not SupervisorCall).OrderBy(c => c.StartedAt))
        {
            var record = await store.GetAsync(call.Id, ct);
            string? agent = call is ApplicationCall app ? app.BridgedAgent?.Agent : record?.Agent;
            var supervision = supervisors.FirstOrDefault(s => s.Target.Id == call.Id);
            rows.Add(new
            {
                id = call.Id,
                node,
                interactionId = (call as ApplicationCall)?.InteractionId,
                kind = call.Kind,
                caller = call.CallerNumber,
                dialed = call.DialedNumber,
                startedAt = call.StartedAt,
                answeredAt = call.AnsweredAt,
                durationSeconds = Math.Round((now - call.StartedAt).TotalSeconds, 1),
                agent = agent ?? (call is BridgedCall ? call.DialedNumber : null),
                queue = record?.Queue,
                priority = record?.Priority,
                ivrPath = record?.IvrPath,
                supervision = supervision is null ? null : new
                {
                    id = supervision.Id,
                    supervisor = supervision.SupervisorNumber,
                    mode = supervision.Mode.ToString(),
                    joined = supervision.Joined.IsCompletedSuccessfully && supervision.Joined.Result,
                },
            });
        }
        foreach (var remote in bus.Enabled ? bus.View.Calls : [])
        {
            var record = await store.GetAsync(remote.Id, ct); // found when the nodes share their storage
            rows.Add(new
            {
                id = remote.Id,
                node = remote.Node,
                interactionId = (string?)null,
                kind = remote.Kind,
                caller = remote.Caller,
                dialed = remote.Dialed,
                startedAt = remote.StartedAt,
                answeredAt = remote.AnsweredAt,
                durationSeconds = Math.Round((now - remote.StartedAt).TotalSeconds, 1),
                agent = remote.Agent ?? record?.Agent,
                queue = remote.Queue ?? record?.Queue,
                priority = record?.Priority,
                ivrPath = record?.IvrPath,
                supervision = (object?)null, // supervised on its node: GET /api/supervise there
            });
        }
        return Results.Json(rows);
    }

    private static async Task<IResult> SearchAsync(string? from, string? to, string? number, string? agent, string? queue, string? outcome,
        string? disposition, string? csat, int? page, int? pageSize, ClaimsPrincipal user, Database db, CancellationToken ct)
    {
        var who = ConsoleIdentity.From(user)!;
        if (!who.SeesAll)
        {
            if (!string.IsNullOrEmpty(agent) && agent != who.User)
            {
                return ApiResults.Forbidden($"agents see their own calls only: agent={who.User}");
            }
            agent = who.User;
        }
        if (!CallFilters.TryParseDisposition(disposition, out var code, out var badFilter)
            || !CallFilters.TryParseCsat(csat, out var csatMin, out var csatMax, out badFilter))
        {
            return Results.Json(new { error = badFilter }, statusCode: 400);
        }
        if (!QueryTime.TryParse(from, null, out var start) || !QueryTime.TryParse(to, null, out var end))
        {
            return Results.Json(new { error = "from/to must be ISO 8601 times" }, statusCode: 400);
        }
        CallOutcome? parsed = null;
        if (!string.IsNullOrEmpty(outcome))
        {
            if (!Enum.TryParse<CallOutcome>(outcome, ignoreCase: true, out var o) || !Enum.IsDefined(o) || int.TryParse(outcome, out _))
            {
                return Results.Json(new { error = $"outcome must be one of {string.Join(", ", Enum.GetNames<CallOutcome>())}" }, statusCode: 400);
            }
            parsed = o;
        }
        int size = Math.Clamp(pageSize ?? 25, 1, CallRecordsApi.MaxPageSize);
        int number1 = Math.Max(page ?? 1, 1);
        var (items, total) = await new ConsoleQueries(db).SearchCallsAsync(new CallSearch
        {
            From = start,
            To = end,
            Number = string.IsNullOrWhiteSpace(number) ? null : number.Trim(),
            Agent = string.IsNullOrEmpty(agent) ? null : agent,
            Queue = string.IsNullOrEmpty(queue) ? null : queue,
            Outcome = parsed,
            Disposition = code,
            CsatMin = csatMin,
            CsatMax = csatMax,
            Offset = (number1 - 1) * size,
            Limit = size,
        }, ct);
        return Results.Json(new { page = number1, pageSize = size, total, items = items.Select(CallJson) });
    }

    private static async Task<IResult> TimelineAsync(string id, ClaimsPrincipal user, Database db, CancellationToken ct)
    {
        if (await CallAccess.CheckAsync(ConsoleIdentity.From(user)!, id, db, ct) is { } refused)
        {
            return refused;
        }
        var events = await new ConsoleQueries(db).EventsOfCallAsync(id, ct);
        var supervisions = await new SupervisionStore(db).ListByCallAsync(id, ct);
        var rows = events.Select(e => new TimelineEntry(e.OccurredAt, e.Type, Parse(e.Payload)))
            .Concat(supervisions.Select(s => new TimelineEntry(s.StartedAt, "supervision." + s.Mode.ToLowerInvariant(),
                JsonSerializer.SerializeToElement(new { supervisor = s.Supervisor, agent = s.Agent, mode = s.Mode, endedAt = s.EndedAt }))))
            .OrderBy(r => r.At)
            .ToList();
        return Results.Json(rows.Select(r => new { at = r.At, type = r.Type, data = r.Data }));
    }

    internal static object CallJson(CallRecord c) => new
    {
        id = c.Id,
        caller = c.Caller,
        dialed = c.Dialed,
        startedAt = c.StartedAt,
        answeredAt = c.AnsweredAt,
        endedAt = c.EndedAt,
        ivrPath = c.IvrPath,
        variables = c.Variables is { Length: > 0 } v ? Parse(v) : (JsonElement?)null,
        queue = c.Queue,
        priority = c.Priority,
        waitMs = c.Wait is { } w ? (long)w.TotalMilliseconds : (long?)null,
        agent = c.Agent,
        talkMs = c.TalkTime is { } t ? (long)t.TotalMilliseconds : (long?)null,
        outcome = c.Outcome?.ToString(),
        hangupCause = c.HangupCause,
        hangupSide = c.HangupSide?.ToString(),
        disposition = c.Disposition,
        dispositions = CallFilters.Codes(c.Disposition),
        dispositionNote = c.DispositionNote,
        csat = c.Csat,
        survey = CallFilters.Survey(c.Survey),
    };

    /// <summary>A stored JSON text as JSON (a string element when it does not parse).</summary>
    internal static JsonElement Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }

    private sealed record TimelineEntry(DateTimeOffset At, string Type, JsonElement Data);
}
