using System.Security.Claims;
using System.Text.Json;
using Telephony.Host.Security;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Media.Mixer;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// HTTP control of supervision: <c>GET /api/supervise</c> lists active supervisions; <c>POST /api/supervise/{id}/mode</c>
/// with <c>{"mode":"listen|whisper|barge|takeover"}</c> switches the mode of supervisor call <c>{id}</c>;
/// <c>POST /api/supervise</c> with <c>{supervisor, agent, mode, ringTimeoutSeconds?}</c> checks the role (403), the mode
/// (400), the agent (404), the agent's call and the supervisor's registration (409), then calls the supervisor's
/// phones (every registered contact, first to answer wins, From <c>"Supervise 1001" &lt;sip:*811001@...&gt;</c>) and
/// answers when the outcome is known: <c>202</c> with the supervisor call id once the supervisor answered and was
/// joined, <c>408</c> when nobody answered within the ring timeout (default 30 s), <c>409</c> when the phone refused
/// (busy/declined) or the agent's call ended meanwhile. <c>GET /api/calls/{id}/supervisions</c> returns the call
/// record's supervisions: who, in which modes, when. All of it needs the supervisor role (or admin). The supervisor is
/// the authenticated user: a body's <c>supervisor</c> may be left out, and must name the caller when present (403
/// otherwise); a supervisor switches only its own supervisions, an admin any. Requests go into the audit trail
/// (<c>supervision.requested</c>, <c>supervision.mode_requested</c>); the call layer adds what took effect.
/// </summary>
public static class SupervisionApi
{
    /// <summary>Default ring time of the supervisor's phone for <c>POST /api/supervise</c>.</summary>
    public const int DefaultRingTimeoutSeconds = 30;

    public sealed record SuperviseRequest(string? Supervisor, string? Agent, string? Mode, int? RingTimeoutSeconds = null);

    public sealed record ModeRequest(string? Mode);

    public static void MapSupervisionApi(this WebApplication app)
    {
        app.MapGet("/api/supervise", (PbxServer server) => Results.Json(
            server.Calls.Calls.OfType<SupervisorCall>().Where(c => !c.IsEnded).Select(c => new
            {
                id = c.Id,
                supervisor = c.SupervisorNumber,
                agent = c.Agent,
                callId = c.Target.Id,
                mode = c.Mode.ToString(),
                originated = c.IsOriginated,
                joined = c.Joined.IsCompletedSuccessfully && c.Joined.Result,
            }))).RequireAuthorization(ConsoleRoles.SupervisorPolicy);

        app.MapPost("/api/supervise", SuperviseAsync).RequireAuthorization(ConsoleRoles.SupervisorPolicy);

        app.MapGet("/api/calls/{id}/supervisions", async (string id, Database db) =>
            Results.Json((await new SupervisionStore(db).ListByCallAsync(id)).Select(r => new
            {
                id = r.Id,
                callId = r.CallId,
                supervisorCallId = r.SupervisorCallId,
                supervisor = r.Supervisor,
                agent = r.Agent,
                mode = r.Mode,
                startedAt = r.StartedAt,
                endedAt = r.EndedAt,
            }))).RequireAuthorization(ConsoleRoles.SupervisorPolicy);

        app.MapPost("/api/supervise/{id}/mode", async (string id, ModeRequest body, PbxServer server, HttpContext context,
            ClaimsPrincipal user, IAuditTrail audit) =>
        {
            ConsoleIdentity who = ConsoleIdentity.From(user)!;
            if (ParseMode(body.Mode) is not { } mode)
            {
                return Results.Json(new { error = "mode must be listen, whisper, barge or takeover" }, statusCode: 400);
            }
            if (server.Calls.Calls.OfType<SupervisorCall>().FirstOrDefault(c => c.Id == id && !c.IsEnded) is not { } call)
            {
                return Results.Json(new { error = $"no active supervision {id}" }, statusCode: 404);
            }
            if (!who.IsAdmin && call.SupervisorNumber != who.User)
            {
                await audit.RecordAsync(AuthApi.Entry(context, who, AuditActions.SupervisionModeRequested, call.Agent,
                    AuditOutcomes.Denied, JsonSerializer.Serialize(new { supervision = id, mode = mode.ToString() })));
                return ApiResults.Forbidden($"supervision {id} belongs to {call.SupervisorNumber}, not {who.User}");
            }
            call.SetMode(mode);
            await audit.RecordAsync(AuthApi.Entry(context, who, AuditActions.SupervisionModeRequested, call.Agent,
                AuditOutcomes.Ok, JsonSerializer.Serialize(new { supervision = id, mode = mode.ToString() })));
            return Results.Json(new { id, mode = mode.ToString() });
        }).RequireAuthorization(ConsoleRoles.SupervisorPolicy);
    }

    private static async Task<IResult> SuperviseAsync(SuperviseRequest body, PbxServer server, HttpContext context,
        ClaimsPrincipal user, IAuditTrail audit)
    {
        ConsoleIdentity who = ConsoleIdentity.From(user)!;
        IResult result = await OriginateAsync(body, who.User, server);
        int status = (result as IStatusCodeHttpResult)?.StatusCode ?? 200;
        await audit.RecordAsync(AuthApi.Entry(context, who, AuditActions.SupervisionRequested, body.Agent,
            status is >= 200 and < 300 ? AuditOutcomes.Ok : status == 403 ? AuditOutcomes.Denied : AuditOutcomes.Failed,
            JsonSerializer.Serialize(new { mode = body.Mode, status })));
        return result;
    }

    private static async Task<IResult> OriginateAsync(SuperviseRequest request, string supervisor, PbxServer server)
    {
        if (!string.IsNullOrEmpty(request.Supervisor) && request.Supervisor != supervisor)
        {
            return ApiResults.Forbidden($"you supervise as yourself ({supervisor}), not as {request.Supervisor}");
        }
        var body = request with { Supervisor = supervisor };
        var calls = server.Calls;
        if (!calls.IsSupervisor(body.Supervisor))
        {
            return ApiResults.Forbidden($"{body.Supervisor} is not a supervisor extension (supervision rings the supervisor's own phone)");
        }
        if (ParseMode(body.Mode) is not { } mode || mode == SupervisorMode.TakeOver)
        {
            return Results.Json(new { error = "mode must be listen, whisper or barge" }, statusCode: 400);
        }
        if (server.Directory.FindExtension(body.Agent) is null)
        {
            return Results.Json(new { error = $"no extension {body.Agent}" }, statusCode: 404);
        }
        if (calls.FindCallOfAgent(body.Agent!) is not { } target)
        {
            return Results.Json(new { error = $"{body.Agent} is not in a call" }, statusCode: 409);
        }
        if (target.Supervisor is { } already)
        {
            return Results.Json(new { error = $"{body.Agent}'s call is already supervised by {already.SupervisorNumber}" },
                statusCode: 409);
        }
        if (server.Calls.Context.Contacts.Resolve(body.Supervisor!).Count == 0)
        {
            return Results.Json(new { error = $"supervisor {body.Supervisor} has no registered phone" }, statusCode: 409);
        }
        var ring = TimeSpan.FromSeconds(Math.Clamp(body.RingTimeoutSeconds ?? DefaultRingTimeoutSeconds, 1, 300));
        var call = new SupervisorCall(calls.Context, body.Supervisor!, body.Agent!, target, mode, ring);
        if (!calls.Originate(call))
        {
            return Results.Json(new { error = "server shutting down" }, statusCode: 503);
        }
        // Joined completes on answer, failure, or the ring timeout (plus a margin for a last-moment answer).
        bool joined;
        try
        {
            joined = await call.Joined.WaitAsync(ring + TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            call.Executor.Post(() => call.HangupAsync("supervision request timed out"));
            return Results.Json(new { id = call.Id, error = "supervisor did not answer" }, statusCode: 408);
        }
        var result = new
        {
            id = call.Id,
            supervisor = call.SupervisorNumber,
            agent = body.Agent,
            callId = target.Id,
            mode = call.Mode.ToString(),
            status = call.FailureStatus,
            error = call.FailureReason,
        };
        if (joined)
        {
            return Results.Json(result, statusCode: 202);
        }
        return Results.Json(result, statusCode: call.FailureStatus switch
        {
            408 => 408,
            503 => 503,
            _ => 409,
        });
    }

    private static SupervisorMode? ParseMode(string? mode) => mode?.ToLowerInvariant() switch
    {
        "listen" => SupervisorMode.Listen,
        "whisper" => SupervisorMode.Whisper,
        "barge" => SupervisorMode.Barge,
        "takeover" or "take-over" => SupervisorMode.TakeOver,
        _ => null,
    };
}
