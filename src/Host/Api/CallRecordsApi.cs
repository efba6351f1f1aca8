using System.Globalization;
using Telephony.Host.Recording;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// HTTP API over the stored call records, recordings and alerts: <c>GET /api/calls</c> (CDR, paged),
/// <c>GET /api/calls/{id}</c>, <c>GET /api/calls/{id}/recordings</c>, <c>GET /api/calls/{id}/queue-events</c>,
/// <c>GET /api/recordings/{id}/audio</c> (RFC 9110 §14 range requests), <c>GET /api/recordings/reconcile</c> (answered
/// calls without audio, audio files without a call), <c>GET /api/alerts</c>, and the live event stream <c>GET /api/events</c> (<see cref="EventStream"/>).
/// </summary>
public static class CallRecordsApi
{
    /// <summary>Largest page size accepted by <c>/api/calls</c>.</summary>
    public const int MaxPageSize = 500;

    public static WebApplication MapTelephonyApi(this WebApplication app)
    {
        app.MapGet("/api/calls", QueryCallsAsync);
        app.MapGet("/api/calls/{id}", async (string id, Database db) =>
            await new CallStore(db).GetAsync(id) is { } call ? Results.Json(ToJson(call)) : Results.NotFound());
        app.MapGet("/api/calls/{id}/recordings", async (string id, Database db) =>
            Results.Json((await new RecordingStore(db).ListByCallAsync(id)).Select(ToJson)));
        app.MapGet("/api/calls/{id}/queue-events", async (string id, Database db) =>
            Results.Json((await new QueueEventStore(db).ListByCallAsync(id)).Select(ToJson)));
        app.MapGet("/api/recordings/reconcile", async (Database db, RecordingSettings settings, CancellationToken ct) =>
        {
            var report = await new RecordingReconciler(db).RunAsync(settings.Directory, ct);
            return Results.Json(new { callsWithoutAudio = report.CallsWithoutAudio, filesWithoutCall = report.FilesWithoutCall });
        });
        app.MapGet("/api/recordings/{id:long}", async (long id, Database db) =>
            await new RecordingStore(db).GetAsync(id) is { } r ? Results.Json(ToJson(r)) : Results.NotFound());
        app.MapGet("/api/recordings/{id:long}/audio", async (long id, Database db) =>
        {
            var recording = await new RecordingStore(db).GetAsync(id);
            if (recording is null || recording.Status == RecordingStatus.Deleted || !File.Exists(recording.Path))
            {
                return Results.NotFound();
            }
            return Results.File(recording.Path, "audio/wav", Path.GetFileName(recording.Path), enableRangeProcessing: true);
        });
        app.MapGet("/api/alerts", async (string? from, string? to, Database db) =>
        {
            if (!TryTime(from, DateTimeOffset.UnixEpoch, out var start) || !TryTime(to, DateTimeOffset.UtcNow.AddDays(1), out var end))
            {
                return Results.BadRequest(new { error = "from/to must be ISO 8601 times" });
            }
            return Results.Json(await new AlertStore(db).ListAsync(start, end));
        });
        app.MapGet("/api/events", EventStream.RunAsync);
        return app;
    }

    private static async Task<IResult> QueryCallsAsync(
        string? from, string? to, string? number, string? agent, string? outcome, int? page, int? pageSize, Database db)
    {
        if (!TryTime(from, null, out var start) || !TryTime(to, null, out var end))
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
        var size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        var number1 = Math.Max(page ?? 1, 1);
        var rows = await new CallStore(db).QueryAsync(new CallQuery
        {
            From = start,
            To = end,
            Number = string.IsNullOrEmpty(number) ? null : number,
            Agent = string.IsNullOrEmpty(agent) ? null : agent,
            Outcome = parsedOutcome,
            Offset = (number1 - 1) * size,
            Limit = size,
        });
        return Results.Json(new { page = number1, pageSize = size, items = rows.Select(ToJson) });
    }

    private static bool TryTime(string? text, DateTimeOffset? fallback, out DateTimeOffset? value)
    {
        value = fallback;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }
        return false;
    }

    private static bool TryTime(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        var ok = TryTime(text, (DateTimeOffset?)fallback, out DateTimeOffset? v);
        value = v ?? fallback;
        return ok;
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
