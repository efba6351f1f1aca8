using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Telephony.Host.Api;
using Telephony.Host.Ivr;
using Telephony.Host.Security;
using Telephony.Pbx.Calls;
using Telephony.Recording.Storage;

namespace Telephony.Host.Callbacks;

/// <summary>
/// HTTP API of callbacks. Web sites: <c>POST /api/public/callbacks</c> ("call me back", <c>X-Api-Key</c> of a site in
/// <c>callbacks.sites</c>; 202 with id, position and estimated wait, or 400/401/404/409/429) and
/// <c>GET /api/public/callbacks/{id}</c> (status of one of that site's requests). Console: <c>POST /api/callbacks</c>
/// (any signed-in user, same body and limits), <c>GET /api/callbacks</c> (supervisor: pending and recent),
/// <c>GET /api/callbacks/{id}</c> (with its attempts) and <c>DELETE /api/callbacks/{id}</c> (supervisor: cancel).
/// </summary>
public static class CallbackApi
{
    /// <summary>The header that carries a site's key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private const string Tag = "Callbacks";

    public static WebApplication MapCallbackApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/public/callbacks", async (HttpContext http, CallbackIntake intake, CallCenter center, CancellationToken ct) =>
        {
            if (intake.FindSite(http.Request.Headers[ApiKeyHeader].ToString()) is not { } site)
            {
                return Unauthorized();
            }
            var body = await ReadBodyAsync(http, ct);
            if (body.Error is { } malformed)
            {
                return Error(400, malformed);
            }
            return Answer(http, await intake.SubmitAsync(body.Value, "web", site.Name, ClientAddress.Of(http), site, Placer(center), ct),
                "/api/public/callbacks/");
        }).AllowAnonymous().WithTags(Tag)
            .WithSummary("Call me back (web site, X-Api-Key): {number, queue?, name?, note?, notBefore?} → 202 {id, position, estimatedWaitSeconds}")
            .WithDescription("E.164 number within the allowed prefixes; rate-limited per key, per client address and per number " +
                "(429 with Retry-After). 401 without a valid X-Api-Key, 400 invalid, 404 unknown queue, 409 queue takes no callbacks.");

        app.MapGet("/api/public/callbacks/{id}", async (string id, HttpContext http, CallbackIntake intake, CallbackLedger ledger,
            CallCenter center, CancellationToken ct) =>
        {
            if (intake.FindSite(http.Request.Headers[ApiKeyHeader].ToString()) is not { } site)
            {
                return Unauthorized();
            }
            var record = await ledger.Store.GetAsync(id, ct);
            if (record is null || record.Source != "web" || record.RequestedBy != site.Name)
            {
                return Error(404, $"no callback {id} of site {site.Name}");
            }
            return Results.Json(await StatusAsync(record, center, null, ct));
        }).AllowAnonymous().WithTags(Tag).WithSummary("Status of one of the site's callbacks (X-Api-Key)");

        app.MapPost("/api/callbacks", async (HttpContext http, ClaimsPrincipal user, CallbackIntake intake, CallCenter center,
            CancellationToken ct) =>
        {
            var who = ConsoleIdentity.From(user)!;
            var body = await ReadBodyAsync(http, ct);
            if (body.Error is { } malformed)
            {
                return Error(400, malformed);
            }
            return Answer(http, await intake.SubmitAsync(body.Value, "console", who.User, ClientAddress.Of(http), null, Placer(center), ct),
                "/api/callbacks/");
        }).RequireAuthorization(ConsoleRoles.AgentPolicy).WithTags(Tag)
            .WithSummary("Book a callback for a customer (signed-in agent, supervisor or admin); same body and limits as the public one");

        app.MapGet("/api/callbacks", async (string? status, CallbackLedger ledger, CallCenter center, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var records = await ledger.Store.ListAsync(now - TimeSpan.FromDays(7), now + TimeSpan.FromMinutes(1), status, cancellationToken: ct);
            var positions = await PositionsAsync(center, ct);
            return Results.Json(records.Select(r => Summary(r, center, positions)));
        }).RequireAuthorization(ConsoleRoles.SupervisorPolicy).WithTags(Tag)
            .WithSummary("Callbacks of the last 7 days, newest first (?status=Pending|Completed|Failed|Expired|Cancelled)");

        app.MapGet("/api/callbacks/{id}", async (string id, ClaimsPrincipal user, CallbackLedger ledger, CallCenter center, CancellationToken ct) =>
        {
            var who = ConsoleIdentity.From(user)!;
            var record = await ledger.Store.GetAsync(id, ct);
            // Agents see the callbacks they asked for or were given; supervisors and admins every one.
            if (record is null || !(who.SeesAll || record.RequestedBy == who.User || record.Agent == who.User))
            {
                return Error(404, $"no callback {id}");
            }
            var attempts = await ledger.Store.ListAttemptsAsync(id, ct);
            return Results.Json(await StatusAsync(record, center, attempts, ct));
        }).RequireAuthorization(ConsoleRoles.AgentPolicy).WithTags(Tag).WithSummary("One callback with its attempts");

        app.MapDelete("/api/callbacks/{id}", async (string id, ClaimsPrincipal user, CallCenter center, IAuditTrail audit, HttpContext http,
            CancellationToken ct) =>
        {
            var who = ConsoleIdentity.From(user)!;
            if (center.Queues?.Callbacks is not { } desk)
            {
                return Error(503, "callbacks are off (no queues)");
            }
            if (!await desk.CancelAsync(id, $"cancelled by {who.User}", ct))
            {
                return Error(409, $"callback {id} is not pending (unknown, over, or being attempted now)");
            }
            audit.Record(new AuditEntry
            {
                Actor = who.User, Role = who.Role, Source = ClientAddress.Of(http), Action = "callback.cancel", Target = id,
            });
            return Results.Json(new { id, status = CallbackStatus.Cancelled.ToString() });
        }).RequireAuthorization(ConsoleRoles.SupervisorPolicy).WithTags(Tag).WithSummary("Cancel a pending callback (supervisor)");
        return app;
    }

    private static Func<CallbackTicket, CancellationToken, Task<CallbackPlacement>>? Placer(CallCenter center) =>
        center.Queues?.Callbacks is { } desk ? desk.RequestAsync : null;

    private static IResult Answer(HttpContext http, CallbackIntakeResult result, string location)
    {
        if (result.Placement is { Ticket: { } ticket } placement)
        {
            http.Response.Headers.Location = location + ticket.Id;
            return Results.Json(new
            {
                id = ticket.Id,
                status = CallbackStatus.Pending.ToString(),
                queue = ticket.Queue,
                number = ticket.Number,
                position = placement.Position,
                estimatedWaitSeconds = placement.EstimatedWait is { } wait ? (long?)Math.Round(wait.TotalSeconds) : null,
                dueAt = placement.DueAt,
                requestedAt = ticket.RequestedAt,
            }, statusCode: StatusCodes.Status202Accepted);
        }
        if (result.RetryAfter is { } retry)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        return Error(result.Status, result.Error ?? "refused");
    }

    private static IResult Unauthorized() => Results.Json(new { error = "unauthorized", reason = $"a valid {ApiKeyHeader} header is required" },
        statusCode: StatusCodes.Status401Unauthorized);

    private static IResult Error(int status, string reason) => Results.Json(new { error = reason }, statusCode: status);

    private static async Task<(CallbackRequestBody? Value, string? Error)> ReadBodyAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.ContentLength is > 16 * 1024)
        {
            return (null, "the body is larger than 16 KiB");
        }
        try
        {
            return (await JsonSerializer.DeserializeAsync<CallbackRequestBody>(http.Request.Body, Json, ct), null);
        }
        catch (JsonException ex)
        {
            return (null, "the body is not a JSON object: " + ex.Message);
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Position in line of each pending callback (1-based among the queue's waiting entries).</summary>
    internal static async Task<Dictionary<string, int>> PositionsAsync(CallCenter center, CancellationToken ct)
    {
        if (center.Queues is not { } queues)
        {
            return [];
        }
        var snapshot = await queues.Scheduler.GetSnapshotAsync(ct);
        return snapshot.Queues.SelectMany(q => q.Calls).ToDictionary(c => c.InteractionId, c => c.Position, StringComparer.Ordinal);
    }

    private static async Task<object> StatusAsync(CallbackRecord r, CallCenter center, IReadOnlyList<CallbackAttemptRecord>? attempts,
        CancellationToken ct)
    {
        var summary = Summary(r, center, await PositionsAsync(center, ct));
        if (attempts is null)
        {
            return summary;
        }
        return new
        {
            callback = summary,
            attempts = attempts.Select(a => new
            {
                attempt = a.Attempt, callId = a.CallId, agent = a.Agent, startedAt = a.StartedAt, endedAt = a.EndedAt, result = a.Result,
            }),
        };
    }

    internal static object Summary(CallbackRecord r, CallCenter center, Dictionary<string, int> positions) => new
    {
        id = r.Id,
        status = r.Status,
        state = r.Status != nameof(CallbackStatus.Pending) ? r.Status.ToLowerInvariant()
            : center.Queues?.Callbacks?.IsAttempting(r.Id) == true ? "calling" : "waiting",
        queue = r.Queue,
        number = r.Number,
        name = r.Name,
        note = r.Note,
        position = positions.GetValueOrDefault(r.Id),
        attempts = r.Attempts,
        requestedAt = r.RequestedAt,
        notBefore = r.NotBefore,
        nextAttemptAt = r.NextAttemptAt,
        deadline = r.Deadline,
        closedAt = r.ClosedAt,
        detail = r.Detail,
        callId = r.CallId,
        agent = r.Agent,
        source = r.Source,
        requestedBy = r.RequestedBy,
        originalCallId = r.OriginalCallId,
    };
}
