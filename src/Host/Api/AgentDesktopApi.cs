using System.Security.Claims;
using Telephony.Host.Ivr;
using Telephony.Host.Security;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Server;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// The agent desktop's endpoints beside <c>/api/agents/{ext}</c> (an agent: its own extension; supervisors and admins:
/// any): <c>GET /api/agents/{ext}/history</c> (the call record of the caller now ringing at or talking to the agent: number,
/// IVR path and variables, and that caller's last 5 calls with outcome and disposition) and
/// <c>POST /api/agents/{ext}/transfer</c> <c>{"target":"support"|"1002"}</c> (blind transfer of the agent's call, the
/// same steps as a REFER: <see cref="ApplicationCall.TransferAsync"/>; 200 once handed over, 409 when the agent is not
/// connected, 404 for an unknown target, 502 when the target could not take the call and the caller is back).
/// </summary>
public static class AgentDesktopApi
{
    /// <summary>Previous calls shown in the screen pop.</summary>
    public const int HistoryCount = 5;

    /// <summary>Body of a transfer: a queue name or an extension.</summary>
    public sealed record TransferRequest(string? Target);

    public static void MapAgentDesktopApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/agents/{ext}/history", HistoryAsync).WithTags("Agent desktop")
            .WithSummary("The last 5 calls from the caller now at the agent (screen pop), with outcome and disposition");
        app.MapPost("/api/agents/{ext}/transfer", TransferAsync).WithTags("Agent desktop")
            .WithSummary("Blind transfer of the agent's current call to a queue or an extension (as a REFER would)");
    }

    private static IResult? OwnAgentOnly(ClaimsPrincipal user, string ext)
    {
        var who = ConsoleIdentity.From(user)!;
        return who.SeesAll || who.User == ext ? null : ApiResults.Forbidden($"{who.User} may only act on its own agent ({who.User}), not {ext}");
    }

    private static async Task<IResult> HistoryAsync(string ext, ClaimsPrincipal user, CallCenter center, PbxServer server, Database db,
        CancellationToken ct)
    {
        if (OwnAgentOnly(user, ext) is { } refused)
        {
            return refused;
        }
        if (center.Queues is not { } queues)
        {
            return Results.Json(new { error = "queues are off" }, statusCode: 503);
        }
        // Call records are keyed by the call's id (the caller's SIP Call-ID), the queue by the interaction id.
        var found = AgentInteraction.Find(ext, await queues.Scheduler.GetSnapshotAsync(ct), server);
        if (found?.Call is not { } call || await new CallStore(db).GetAsync(call.Id, ct) is not { } record)
        {
            return Results.Json(new { agent = ext, caller = (string?)null, calls = Array.Empty<object>() });
        }
        var previous = await new ConsoleQueries(db).PreviousCallsAsync(record.Caller, record.Id, HistoryCount, ct);
        return Results.Json(new
        {
            agent = ext,
            callId = record.Id,
            interactionId = found.Offered.InteractionId,
            caller = record.Caller,
            dialed = record.Dialed,
            ivrPath = record.IvrPath,
            variables = record.Variables,
            calls = previous.Select(c => new
            {
                id = c.Id,
                startedAt = c.StartedAt,
                queue = c.Queue,
                agent = c.Agent,
                outcome = c.Outcome?.ToString(),
                talkMs = c.TalkTime is { } t ? (long)t.TotalMilliseconds : (long?)null,
                disposition = c.Disposition,
            }),
        });
    }

    private static async Task<IResult> TransferAsync(string ext, TransferRequest body, ClaimsPrincipal user, PbxServer server,
        CallCenter center)
    {
        if (OwnAgentOnly(user, ext) is { } refused)
        {
            return refused;
        }
        string target = body.Target?.Trim() ?? "";
        if (target.Length == 0)
        {
            return Results.Json(new { error = "target is required: a queue name or an extension" }, statusCode: 400);
        }
        if (server.Calls.FindCallOfAgent(ext) is not ApplicationCall { BridgedAgent: { } leg } call || leg.Agent != ext)
        {
            return Results.Json(new { error = $"{ext} is not connected to a queue caller" }, statusCode: 409);
        }
        bool queue = center.Queues?.Config.Find(target) is not null;
        if (!queue && (!target.All(char.IsAsciiDigit) || target == ext))
        {
            return Results.Json(new { error = $"'{target}' is neither a queue nor another extension" }, statusCode: 404);
        }
        // The same steps as the agent's REFER (ApplicationCall.TransferAsync): detach, hand over, release the agent.
        int status = await call.TransferAsync(target);
        return status switch
        {
            >= 200 and < 300 => Results.Json(new { agent = ext, target, kind = queue ? "queue" : "extension", transferred = true, callId = call.Id }),
            403 or 487 => Results.Json(new { error = $"{ext} is no longer connected to the caller", status }, statusCode: 409),
            491 => Results.Json(new { error = "a transfer of this call is already in progress", status }, statusCode: 409),
            405 => Results.Json(new { error = "the server takes no transfers (queues are off)", status }, statusCode: 503),
            _ => Results.Json(new { error = $"{target} could not take the call ({status}); the caller is back with {ext}", status },
                statusCode: StatusCodes.Status502BadGateway),
        };
    }
}
