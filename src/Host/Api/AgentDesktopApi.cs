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
/// IVR path and variables, and that caller's last 5 calls with outcome and disposition), <c>GET /api/agents/{ext}/today</c> (the agent's own figures of the day) and
/// <c>POST /api/agents/{ext}/transfer</c> <c>{"target":"support"|"1002"}</c> (blind transfer of the agent's call, as a
/// REFER does: answers 501 until the call layer offers an entry point for it, see src/Web/README.md).
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
        app.MapGet("/api/agents/{ext}/today", TodayAsync).WithTags("Agent desktop").WithSummary("The agent's figures of the day");
        app.MapPost("/api/agents/{ext}/transfer", TransferAsync).WithTags("Agent desktop")
            .WithSummary("Blind transfer of the agent's current call to a queue or an extension (501 until the call layer has an entry point)");
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
                disposition = (string?)null,
            }),
        });
    }

    private static async Task<IResult> TodayAsync(string ext, ClaimsPrincipal user, Database db, CallCenter center, CancellationToken ct)
    {
        if (OwnAgentOnly(user, ext) is { } refused)
        {
            return refused;
        }
        var now = DateTimeOffset.Now;
        var midnight = new DateTimeOffset(now.Date, now.Offset);
        var calls = await new ConsoleQueries(db).CallsOfAgentSinceAsync(ext, midnight, ct);
        var talks = calls.Where(c => c.TalkTime is not null).Select(c => c.TalkTime!.Value.TotalSeconds).ToList();
        return Results.Json(new
        {
            agent = ext,
            from = midnight,
            handled = calls.Count,
            talkSeconds = talks.Sum(),
            averageTalkSeconds = talks.Count > 0 ? talks.Average() : (double?)null,
            longestTalkSeconds = talks.Count > 0 ? talks.Max() : (double?)null,
            averageWaitSeconds = calls.Count > 0 ? calls.Average(c => (c.Wait ?? TimeSpan.Zero).TotalSeconds) : (double?)null,
            // The agent's queues with their wrap-up time: the desktop counts the wrap-up down.
            queues = center.Queues?.Config.Queues.Where(q => q.Members.Any(m => m.Agent == ext))
                .Select(q => new { name = q.Name, wrapUpSeconds = q.WrapUp.TotalSeconds }) ?? [],
        });
    }

    private static IResult TransferAsync(string ext, TransferRequest body, ClaimsPrincipal user, PbxServer server, CallCenter center)
    {
        if (OwnAgentOnly(user, ext) is { } refused)
        {
            return refused;
        }
        if (string.IsNullOrWhiteSpace(body.Target))
        {
            return Results.Json(new { error = "target is required: a queue name or an extension" }, statusCode: 400);
        }
        if (server.Calls.FindCallOfAgent(ext) is not ApplicationCall { BridgedAgent: { } leg } || leg.Agent != ext)
        {
            return Results.Json(new { error = $"{ext} is not connected to a queue caller" }, statusCode: 409);
        }
        bool knownTarget = center.Queues?.Config.Find(body.Target) is not null || body.Target.All(char.IsAsciiDigit);
        if (!knownTarget)
        {
            return Results.Json(new { error = $"'{body.Target}' is neither a queue nor an extension" }, statusCode: 404);
        }
        // The REFER path detaches the caller from the agent on the call's executor before IAgentTransfers.BlindTransferAsync
        // and releases the agent's leg after it; that sequence is private to ApplicationCall (src/Pbx/Calls), so the HTTP
        // transfer waits for a public entry point there (ApplicationCall.TransferAsync(string target) → Task<int>).
        return Results.Json(new
        {
            error = "not implemented yet: transfer over HTTP needs a call-layer entry point (ApplicationCall.TransferAsync); transfer from the phone (REFER) works",
        }, statusCode: StatusCodes.Status501NotImplemented);
    }
}
