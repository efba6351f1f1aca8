using Telephony.Host.Ivr;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Host.Api;

/// <summary>
/// HTTP API of the queues: <c>GET /api/queues</c> (snapshot of queues, callers, agents and counters) and
/// <c>POST /api/agents/{ext}/login|logout|pause|resume</c> (pause takes <c>?reason=</c>).
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
        });

        app.MapPost("/api/agents/{ext}/{action}", async (string ext, string action, string? reason, CallCenter center, CancellationToken ct) =>
        {
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
}
