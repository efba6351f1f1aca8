using System.Security.Claims;
using System.Text.Json;
using Telephony.Host.Ivr;
using Telephony.Host.Security;
using Telephony.Pbx.Server;
using Telephony.Recording.Storage;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Host.Api;

/// <summary>
/// HTTP API of the queues: <c>GET /api/queues</c> (supervisor: snapshot of queues, callers, agents and counters),
/// <c>GET /api/agents/{ext}</c> (an agent's state), <c>GET /api/agents/{ext}/screen-pop</c> (the interaction ringing or
/// connected at the agent, with its caller, queue, priority, tags, IVR data and call record) and
/// <c>POST /api/agents/{ext}/login|logout|pause|resume</c> (pause takes <c>?reason=</c>). An agent may use the
/// <c>/api/agents/{ext}</c> endpoints for its own extension only; supervisors and admins for every agent.
/// </summary>
public static class QueueApi
{
    public static void MapQueueApi(this WebApplication app)
    {
        app.MapGet("/api/queues", async (CallCenter center, CancellationToken ct) =>
        {
            if (center.Queues is not { } queues)
            {
                return Results.Json(new { error = "queues are off" }, statusCode: 503);
            }
            var snap = await queues.Scheduler.GetSnapshotAsync(ct);
            return Results.Json(new
            {
                at = snap.At,
                abandoned = queues.AbandonedCalls,
                overflowed = queues.OverflowedCalls,
                completed = queues.CompletedCalls,
                queues = snap.Queues.Select(q => new
                {
                    name = q.Name,
                    strategy = q.Strategy.ToString(),
                    staffedAgents = q.StaffedAgents,
                    averageHandleTimeSeconds = q.AverageHandleTime.TotalSeconds,
                    retired = q.Retired,
                    calls = q.Calls.Select(c => new
                    {
                        interactionId = c.InteractionId,
                        state = c.State.ToString(),
                        position = c.Position,
                        basePriority = c.BasePriority,
                        effectivePriority = c.EffectivePriority,
                        waitedSeconds = c.WaitedInQueue.TotalSeconds,
                        agent = c.Agent,
                        ringingAgents = c.RingingAgents,
                        tags = c.Tags,
                        data = c.Data,
                    }),
                }),
                agents = snap.Agents.Select(a => new
                {
                    agent = a.Agent,
                    state = a.State.ToString(),
                    pauseReason = a.PauseReason,
                    interactionId = a.InteractionId,
                    queues = a.Queues,
                }),
            });
        }).RequireAuthorization(ConsoleRoles.SupervisorPolicy);

        app.MapGet("/api/agents/{ext}", async (string ext, ClaimsPrincipal user, CallCenter center, CancellationToken ct) =>
        {
            if (OwnAgentOnly(user, ext) is { } refused)
            {
                return refused;
            }
            if (center.Queues is not { } queues)
            {
                return Results.Json(new { error = "queues are off" }, statusCode: 503);
            }
            if ((await queues.Scheduler.GetSnapshotAsync(ct)).FindAgent(ext) is not { } a)
            {
                return Results.Json(new { error = $"{ext} is not an agent of any queue" }, statusCode: 404);
            }
            return Results.Json(new
            {
                agent = a.Agent,
                state = a.State.ToString(),
                pauseReason = a.PauseReason,
                interactionId = a.InteractionId,
                queues = a.Queues,
                // The desktop counts the wrap-up down and offers the queues as transfer targets.
                wrapUpSeconds = queues.Config.Queues.Where(q => q.Members.Any(m => m.Agent == ext))
                    .Select(q => q.WrapUp.TotalSeconds).DefaultIfEmpty(0).Max(),
                transferQueues = queues.Config.Queues.Select(q => q.Name).Order(StringComparer.Ordinal).ToList(),
            });
        });

        app.MapGet("/api/agents/{ext}/screen-pop", ScreenPopAsync);

        app.MapPost("/api/agents/{ext}/{action}", async (string ext, string action, string? reason, ClaimsPrincipal user,
            CallCenter center, CancellationToken ct) =>
        {
            if (OwnAgentOnly(user, ext) is { } refused)
            {
                return refused;
            }
            if (center.Queues is not { } queues)
            {
                return Results.Json(new { error = "queues are off" }, statusCode: 503);
            }
            if (!queues.Config.Agents().Contains(ext, StringComparer.Ordinal))
            {
                return Results.Json(new { error = $"{ext} is not an agent of any queue" }, statusCode: 404);
            }
            QueueCommand? command = action switch
            {
                "login" => new AgentLoggedIn(ext),
                "logout" => new AgentLoggedOut(ext),
                "pause" => new AgentPaused(ext, string.IsNullOrWhiteSpace(reason) ? "api" : reason),
                "resume" => new AgentResumed(ext),
                _ => null,
            };
            if (command is null)
            {
                return Results.Json(new { error = $"unknown action '{action}' (login, logout, pause, resume)" }, statusCode: 404);
            }
            var actions = await queues.Scheduler.SendAsync(command, ct);
            if (actions.OfType<CommandIgnored>().FirstOrDefault() is { } ignored)
            {
                return Results.Json(new { agent = ext, action, error = ignored.Reason }, statusCode: 409);
            }
            var state = (await queues.Scheduler.GetSnapshotAsync(ct)).FindAgent(ext);
            return Results.Json(new { agent = ext, action, state = state?.State.ToString(), pauseReason = state?.PauseReason });
        });
    }

    /// <summary>
    /// <c>GET /api/agents/{ext}/screen-pop</c>: the interaction ringing at or connected to the agent with the queue's view
    /// (queue, state, priority, wait, tags, data) and the call record's (caller, dialed number, IVR path and variables),
    /// found through the live call of the interaction (records are keyed by the SIP Call-ID, not the interaction id).
    /// </summary>
    public static async Task<IResult> ScreenPopAsync(string ext, ClaimsPrincipal user, CallCenter center, PbxServer server, Database db,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(center);
        ArgumentNullException.ThrowIfNull(server);
        if (OwnAgentOnly(user, ext) is { } refused)
        {
            return refused;
        }
        if (center.Queues is not { } queues)
        {
            return Results.Json(new { error = "queues are off" }, statusCode: 503);
        }
        if (AgentInteraction.Find(ext, await queues.Scheduler.GetSnapshotAsync(ct), server) is not { } found)
        {
            return Results.Json(new { agent = ext, interaction = (object?)null });
        }
        var offered = found.Offered;
        var record = found.Call is { } call ? await new CallStore(db).GetAsync(call.Id, ct) : null;
        return Results.Json(new
        {
            agent = ext,
            interaction = new
            {
                id = offered.InteractionId,
                callId = found.Call?.Id,
                queue = offered.Queue,
                state = offered.State.ToString(),
                ringing = offered.Agent != ext,
                priority = offered.EffectivePriority,
                waitedSeconds = offered.WaitedInQueue.TotalSeconds,
                tags = offered.Tags,
                data = offered.Data,
                caller = record?.Caller ?? found.Call?.Caller,
                dialed = record?.Dialed ?? found.Call?.Dialed,
                ivrPath = record?.IvrPath,
                variables = record?.Variables is { Length: > 0 } v ? ConsoleApi.Parse(v) : (JsonElement?)null,
            },
        });
    }

    /// <summary>Null when the caller may act on agent <paramref name="ext"/> (it is that agent, or sees all); else 403.</summary>
    private static IResult? OwnAgentOnly(ClaimsPrincipal user, string ext)
    {
        ConsoleIdentity who = ConsoleIdentity.From(user)!;
        return who.SeesAll || who.User == ext ? null : ApiResults.Forbidden($"{who.User} may only act on its own agent ({who.User}), not {ext}");
    }
}
