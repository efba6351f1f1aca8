using System.Globalization;
using System.Security.Claims;
using Telephony.Host.Recording;
using Telephony.Host.Security;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// HTTP API over the stored call records, recordings and alerts: <c>GET /api/calls</c> (CDR, paged),
/// <c>GET /api/calls/{id}</c>, <c>GET /api/calls/{id}/recordings</c>, <c>GET /api/calls/{id}/queue-events</c>,
/// <c>GET /api/recordings/{id}/audio</c> (RFC 9110 §14 range requests), <c>GET /api/recordings/reconcile</c> (answered
/// calls without audio, audio files without a call), <c>GET /api/alerts</c>, and the live event stream <c>GET /api/events</c> (<see cref="EventStream"/>).
/// Agents get their own calls only (<see cref="CallAccess"/>): the list is filtered to <c>agent = me</c>, a single call,
/// its recordings and queue events answer 403 when not theirs. Alerts need a supervisor, the reconcile report an admin.
/// Every recording download (no <c>Range</c>) and play (a <c>Range</c> from byte 0) is in the audit trail.
/// </summary>
public static class CallRecordsApi
{
    /// <summary>Largest page size accepted by <c>/api/calls</c>.</summary>
    public const int MaxPageSize = 500;

    public static WebApplication MapTelephonyApi(this WebApplication app)
    {
        app.MapGet("/api/calls", QueryCallsAsync);
        app.MapGet("/api/calls/{id}", async (string id, ClaimsPrincipal user, Database db, CancellationToken ct) =>
        {
            if (await new CallStore(db).GetAsync(id, ct) is not { } call)
            {
                return Results.NotFound();
            }
            ConsoleIdentity who = ConsoleIdentity.From(user)!;
            return await CallAccess.CanSeeAsync(who, call, db, ct)
                ? Results.Json(ToJson(call))
                : ApiResults.Forbidden($"call {id} is not one of {who.User}'s calls");
        });
        app.MapGet("/api/calls/{id}/recordings", async (string id, ClaimsPrincipal user, Database db, CancellationToken ct) =>
            await CallAccess.CheckAsync(ConsoleIdentity.From(user)!, id, db, ct)
            ?? Results.Json((await new RecordingStore(db).ListByCallAsync(id, ct)).Select(ToJson)));
        app.MapGet("/api/calls/{id}/queue-events", async (string id, ClaimsPrincipal user, Database db, CancellationToken ct) =>
            await CallAccess.CheckAsync(ConsoleIdentity.From(user)!, id, db, ct)
            ?? Results.Json((await new QueueEventStore(db).ListByCallAsync(id, ct)).Select(ToJson)));
        app.MapGet("/api/recordings/reconcile", async (Database db, RecordingSettings settings, CancellationToken ct) =>
        {
            var report = await new RecordingReconciler(db).RunAsync(settings.Directory, ct);
            return Results.Json(new { callsWithoutAudio = report.CallsWithoutAudio, filesWithoutCall = report.FilesWithoutCall });
        }).RequireAuthorization(ConsoleRoles.AdminPolicy);
        app.MapGet("/api/recordings/{id:long}", async (long id, ClaimsPrincipal user, Database db, CancellationToken ct) =>
        {
            if (await new RecordingStore(db).GetAsync(id, ct) is not { } r)
            {
                return Results.NotFound();
            }
            return await CallAccess.CheckAsync(ConsoleIdentity.From(user)!, r.CallId, db, ct) ?? Results.Json(ToJson(r));
        });
        app.MapGet("/api/recordings/{id:long}/audio", RecordingAudioAsync);
        app.MapGet("/api/alerts", async (string? from, string? to, Database db) =>
        {
            if (!QueryTime.TryParse(from, DateTimeOffset.UnixEpoch, out var start) || !QueryTime.TryParse(to, DateTimeOffset.UtcNow.AddDays(1), out var end))
            {
                return Results.BadRequest(new { error = "from/to must be ISO 8601 times" });
            }
            return Results.Json(await new AlertStore(db).ListAsync(start, end));
        }).RequireAuthorization(ConsoleRoles.SupervisorPolicy);
        app.MapGet("/api/events", EventStream.RunAsync);
        return app;
    }

    /// <summary>The WAV file (Range supported), after the access check; downloads and plays go into the audit trail.</summary>
    private static async Task<IResult> RecordingAudioAsync(long id, HttpContext context, ClaimsPrincipal user, Database db,
        IAuditTrail audit)
    {
        var ct = context.RequestAborted;
        var recording = await new RecordingStore(db).GetAsync(id, ct);
        if (recording is null || recording.Status == RecordingStatus.Deleted || !File.Exists(recording.Path))
        {
            return Results.NotFound();
        }
        ConsoleIdentity who = ConsoleIdentity.From(user)!;
        string target = id.ToString(CultureInfo.InvariantCulture);
        if (await CallAccess.CheckAsync(who, recording.CallId, db, ct) is { } refused)
        {
            await audit.RecordAsync(AuthApi.Entry(context, who, AuditActions.RecordingDownload, target, AuditOutcomes.Denied,
                System.Text.Json.JsonSerializer.Serialize(new { callId = recording.CallId })), ct);
            return refused;
        }
        // A player streams with Range requests: the one from byte 0 is the play, later ranges are seeks (not audited).
        var access = WavDownload.Classify(context.Request);
        if (access != WavAccess.Seek)
        {
            await audit.RecordAsync(AuthApi.Entry(context, who, access == WavAccess.Download ? AuditActions.RecordingDownload : AuditActions.RecordingPlay,
                target, AuditOutcomes.Ok, System.Text.Json.JsonSerializer.Serialize(new { callId = recording.CallId })), ct);
        }
        return WavDownload.File(recording.Path);
    }

    private static async Task<IResult> QueryCallsAsync(
        string? from, string? to, string? number, string? agent, string? outcome, string? disposition, string? csat, int? page, int? pageSize,
        Database db, ClaimsPrincipal user)
    {
        ConsoleIdentity who = ConsoleIdentity.From(user)!;
        if (!who.SeesAll)
        {
            if (!string.IsNullOrEmpty(agent) && agent != who.User)
            {
                return ApiResults.Forbidden($"agents see their own calls only: agent={who.User}");
            }
            agent = who.User; // an agent's list: the calls it answered
        }
        if (!QueryTime.TryParse(from, null, out var start) || !QueryTime.TryParse(to, null, out var end))
        {
            return Results.BadRequest(new { error = "from/to must be ISO 8601 times" });
        }
        CallOutcome? parsedOutcome = null;
        if (!string.IsNullOrEmpty(outcome))
        {
            if (!Enum.TryParse<CallOutcome>(outcome, ignoreCase: true, out var o) || !Enum.IsDefined(o))
            {
                return Results.BadRequest(new { error = $"outcome must be one of {string.Join(", ", Enum.GetNames<CallOutcome>())}" });
            }
            parsedOutcome = o;
        }
        if (!CallFilters.TryParseDisposition(disposition, out var code, out var badCode)
            || !CallFilters.TryParseCsat(csat, out var csatMin, out var csatMax, out badCode))
        {
            return Results.BadRequest(new { error = badCode });
        }
        var size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        var number1 = Math.Max(page ?? 1, 1);
        var rows = await new CallStore(db).QueryAsync(new CallQuery
        {
            From = start,
            To = end,
            Number = string.IsNullOrEmpty(number) ? null : number,
            Agent = string.IsNullOrEmpty(agent) ? null : agent,
            Outcome = parsedOutcome,
            Disposition = code,
            CsatMin = csatMin,
            CsatMax = csatMax,
            Offset = (number1 - 1) * size,
            Limit = size,
        });
        return Results.Json(new { page = number1, pageSize = size, items = rows.Select(ToJson) });
    }

    private static object ToJson(CallRecord c) => new
    {
        id = c.Id,
        caller = c.Caller,
        dialed = c.Dialed,
        startedAt = c.StartedAt,
        answeredAt = c.AnsweredAt,
        endedAt = c.EndedAt,
        ivrPath = c.IvrPath,
        variables = c.Variables,
        queue = c.Queue,
        priority = c.Priority,
        waitMs = Ms(c.Wait),
        agent = c.Agent,
        talkMs = Ms(c.TalkTime),
        outcome = c.Outcome?.ToString(),
        hangupCause = c.HangupCause,
        hangupSide = c.HangupSide?.ToString(),
        callbackId = c.CallbackId,
        callbackOf = c.CallbackOf,
        disposition = c.Disposition,
        dispositions = CallFilters.Codes(c.Disposition),
        dispositionNote = c.DispositionNote,
        csat = c.Csat,
        survey = CallFilters.Survey(c.Survey),
    };

    private static object ToJson(RecordingEntry r) => new
    {
        id = r.Id,
        callId = r.CallId,
        path = r.Path,
        format = r.Format.ToString(),
        startedAt = r.StartedAt,
        durationMs = Ms(r.Duration),
        sizeBytes = r.SizeBytes,
        sha256 = r.Sha256,
        status = r.Status.ToString(),
        audio = $"/api/recordings/{r.Id}/audio",
    };

    private static object ToJson(QueueEvent e) => new
    {
        id = e.Id,
        callId = e.CallId,
        queue = e.Queue,
        kind = e.Kind.ToString(),
        agent = e.Agent,
        occurredAt = e.OccurredAt,
        detail = e.Detail,
    };

    private static long? Ms(TimeSpan? t) => t is { } v ? (long)v.TotalMilliseconds : null;
}
