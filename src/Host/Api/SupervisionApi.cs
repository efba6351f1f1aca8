using System.Security.Claims;
using System.Text.Json;
using Telephony.Cluster.Bus;
using Telephony.Host.Cluster;
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
/// HTTP control of supervision: <c>GET /api/supervise</c> lists active supervisions (on a cluster node every node's, each
/// with its <c>node</c>, gathered over the bus within 1 s); <c>POST /api/supervise/{id}/mode</c>
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
/// On a cluster node (<c>cluster.database</c>), a request for an agent whose call, or a supervision, is on another node is
/// checked here and carried out there over the cluster bus (<see cref="BusNode"/>), with the same statuses.
/// </summary>
public static class SupervisionApi
{
    /// <summary>Default ring time of the supervisor's phone for <c>POST /api/supervise</c>.</summary>
    public const int DefaultRingTimeoutSeconds = 30;

    public sealed record SuperviseRequest(string? Supervisor, string? Agent, string? Mode, int? RingTimeoutSeconds = null);

    public sealed record ModeRequest(string? Mode);

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    public static void MapSupervisionApi(this WebApplication app)
    {
        app.MapGet("/api/supervise", async (PbxServer server, BusNode bus, CancellationToken ct) =>
        {
            // On a cluster node: every node's supervisions, each with its node (the others' gathered over the bus).
            var list = SupervisionEntry.Local(server, bus.Enabled ? bus.Node : null);
            if (bus.Enabled)
            {
                list.AddRange(await bus.Supervisions.GatherAsync(bus, TimeProvider.System, ct));
            }
            return Results.Json(list, WebJson);
        }).RequireAuthorization(ConsoleRoles.SupervisorPolicy);

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
            ClaimsPrincipal user, IAuditTrail audit, BusNode bus) =>
        {
            ConsoleIdentity who = ConsoleIdentity.From(user)!;
            if (ParseMode(body.Mode) is null)
            {
                return Results.Json(new { error = "mode must be listen, whisper, barge or takeover" }, statusCode: 400);
            }
            (int status, object answer) = HasSupervision(server, id) || !bus.Enabled
                ? SwitchModeHere(server, id, body.Mode!, who.User, who.IsAdmin)
                : await ForwardAsync(bus, BusNode.SuperviseMode, BusCodec.ToBody(new BusModeCommand(id, body.Mode!, who.User, who.IsAdmin)),
                    TimeSpan.FromSeconds(5), () => (404, new { error = $"no active supervision {id}" }));
            if (status is 200 or 403)
            {
                await audit.RecordAsync(AuthApi.Entry(context, who, AuditActions.SupervisionModeRequested, AgentOf(answer),
                    status == 200 ? AuditOutcomes.Ok : AuditOutcomes.Denied, JsonSerializer.Serialize(new { supervision = id, mode = body.Mode })));
            }
            return Results.Json(answer, statusCode: status);
        }).RequireAuthorization(ConsoleRoles.SupervisorPolicy);
    }

    /// <summary>True when supervision <paramref name="id"/> is in progress on this node.</summary>
    internal static bool HasSupervision(PbxServer server, string id) =>
        server.Calls.Calls.OfType<SupervisorCall>().Any(c => c.Id == id && !c.IsEnded);

    /// <summary>Switches supervision <paramref name="id"/> on this node for <paramref name="user"/> (HTTP status and body).</summary>
    internal static (int Status, object Body) SwitchModeHere(PbxServer server, string id, string modeText, string user, bool isAdmin)
    {
        if (ParseMode(modeText) is not { } mode)
        {
            return (400, new { error = "mode must be listen, whisper, barge or takeover" });
        }
        if (server.Calls.Calls.OfType<SupervisorCall>().FirstOrDefault(c => c.Id == id && !c.IsEnded) is not { } call)
        {
            return (404, new { error = $"no active supervision {id}" });
        }
        if (!isAdmin && call.SupervisorNumber != user)
        {
            return (403, new { error = "forbidden", reason = $"supervision {id} belongs to {call.SupervisorNumber}, not {user}", agent = call.Agent });
        }
        call.SetMode(mode);
        return (200, new { id, mode = mode.ToString(), agent = call.Agent });
    }

    private static string? AgentOf(object answer) =>
        (answer is JsonElement { ValueKind: JsonValueKind.Object } json ? json : JsonSerializer.SerializeToElement(answer))
            .TryGetProperty("agent", out var agent) && agent.ValueKind == JsonValueKind.String ? agent.GetString() : null;

    /// <summary>
    /// Sends a supervision command to the node that has the call and returns its HTTP answer; <paramref name="none"/> when
    /// no node took it, 504 when the node that took it did not answer in time, 503 when the bus is down.
    /// </summary>
    private static async Task<(int Status, object Body)> ForwardAsync(BusNode bus, string kind, JsonElement body, TimeSpan replyWithin,
        Func<(int, object)> none)
    {
        var reply = await bus.RequestAsync(kind, body, replyWithin).ConfigureAwait(false);
        return reply.Outcome switch
        {
            BusReplyOutcome.Replied when BusCodec.FromBody<BusHttpReply>(reply.Message!) is { } answer => (answer.Status, answer.Body),
            BusReplyOutcome.NoTaker => none(),
            BusReplyOutcome.NotSent => (503, new { error = "the cluster bus is not available" }),
            _ => (504, new { error = $"node {reply.Message?.From ?? "holding the call"} did not answer in time" }),
        };
    }

    private static async Task<IResult> SuperviseAsync(SuperviseRequest body, PbxServer server, HttpContext context,
        ClaimsPrincipal user, IAuditTrail audit, BusNode bus)
    {
        ConsoleIdentity who = ConsoleIdentity.From(user)!;
        (int status, object answer) = await OriginateAsync(body, who.User, server, bus);
        IResult result = Results.Json(answer, statusCode: status);
        await audit.RecordAsync(AuthApi.Entry(context, who, AuditActions.SupervisionRequested, body.Agent,
            status is >= 200 and < 300 ? AuditOutcomes.Ok : status == 403 ? AuditOutcomes.Denied : AuditOutcomes.Failed,
            JsonSerializer.Serialize(new { mode = body.Mode, status })));
        return result;
    }

    private static async Task<(int Status, object Body)> OriginateAsync(SuperviseRequest request, string supervisor, PbxServer server,
        BusNode bus)
    {
        if (!string.IsNullOrEmpty(request.Supervisor) && request.Supervisor != supervisor)
        {
            return (403, new { error = "forbidden", reason = $"you supervise as yourself ({supervisor}), not as {request.Supervisor}" });
        }
        if (bus.Enabled && server.Directory.FindExtension(request.Agent) is not null && server.Calls.FindCallOfAgent(request.Agent!) is null
            && server.Calls.IsSupervisor(supervisor) && ParseMode(request.Mode) is not (null or SupervisorMode.TakeOver))
        {
            // The agent's call is not here: the node that has it rings the supervisor through the proxy and joins the mixer.
            var ring = Math.Clamp(request.RingTimeoutSeconds ?? DefaultRingTimeoutSeconds, 1, 300);
            return await ForwardAsync(bus, BusNode.Supervise, BusCodec.ToBody(request with { Supervisor = supervisor }),
                TimeSpan.FromSeconds(ring + 15), () => (409, new { error = $"{request.Agent} is not in a call" })).ConfigureAwait(false);
        }
        return await SuperviseHereAsync(request, supervisor, server).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>POST /api/supervise</c> for an agent whose call is on this node (or when no node has it): the HTTP status and body.
    /// Also what a node runs for a request forwarded over the cluster bus (<see cref="BusNode"/>).
    /// </summary>
    internal static async Task<(int Status, object Body)> SuperviseHereAsync(SuperviseRequest request, string supervisor, PbxServer server)
    {
        if (!string.IsNullOrEmpty(request.Supervisor) && request.Supervisor != supervisor)
        {
            return (403, new { error = "forbidden", reason = $"you supervise as yourself ({supervisor}), not as {request.Supervisor}" });
        }
        var body = request with { Supervisor = supervisor };
        var calls = server.Calls;
        if (!calls.IsSupervisor(body.Supervisor))
        {
            return (403, new { error = "forbidden", reason = $"{body.Supervisor} is not a supervisor extension (supervision rings the supervisor's own phone)" });
        }
        if (ParseMode(body.Mode) is not { } mode || mode == SupervisorMode.TakeOver)
        {
            return (400, new { error = "mode must be listen, whisper or barge" });
        }
        if (server.Directory.FindExtension(body.Agent) is null)
        {
            return (404, new { error = $"no extension {body.Agent}" });
        }
        if (calls.FindCallOfAgent(body.Agent!) is not { } target)
        {
            return (409, new { error = $"{body.Agent} is not in a call" });
        }
        if (target.Supervisor is { } already)
        {
            return (409, new { error = $"{body.Agent}'s call is already supervised by {already.SupervisorNumber}" });
        }
        if (server.Calls.Context.Contacts.Resolve(body.Supervisor!).Count == 0)
        {
            return (409, new { error = $"supervisor {body.Supervisor} has no registered phone" });
        }
        var ring = TimeSpan.FromSeconds(Math.Clamp(body.RingTimeoutSeconds ?? DefaultRingTimeoutSeconds, 1, 300));
        var call = new SupervisorCall(calls.Context, body.Supervisor!, body.Agent!, target, mode, ring);
        if (!calls.Originate(call))
        {
            return (503, new { error = "server shutting down" });
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
            return (408, new { id = call.Id, error = "supervisor did not answer" });
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
            return (202, result);
        }
        return (call.FailureStatus switch
        {
            408 => 408,
            503 => 503,
            _ => 409,
        }, result);
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
