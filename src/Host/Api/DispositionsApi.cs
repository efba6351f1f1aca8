using System.Security.Claims;
using Telephony.Host.Dispositions;
using Telephony.Host.Ivr;
using Telephony.Host.Security;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// Disposition codes: <c>POST /api/calls/{id}/disposition</c> <c>{"codes":["resolved","follow-up"],"note":"…"}</c> (during
/// the call or in wrap-up; the codes replace the call's and must be in its queue's list), <c>GET /api/calls/{id}/dispositions</c>
/// (every change, oldest first) and <c>GET /api/dispositions</c> (each queue's codes, for the agent desktop). An agent sets
/// codes on the calls it answered (the record's agent); supervisors and admins on any call.
/// </summary>
public static class DispositionsApi
{
    /// <summary>Longest note kept [characters].</summary>
    public const int MaxNoteLength = 2000;

    public static WebApplication MapDispositionsApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/calls/{id}/disposition", SetAsync).WithTags("Calls")
            .WithSummary("Set a call's disposition codes and note: {codes:[...], note} (codes from the call's queue; agents: the calls they answered)")
            .WithDescription("200 {callId, queue, codes, note, setBy, source, setAt}; 400 unknown code (the allowed ones named); 404 no such call; "
                + "409 the call went through no queue or its queue lists no codes. Also lets an agent held in wrap-up by dispositionRequired go on.");
        app.MapGet("/api/calls/{id}/dispositions", HistoryAsync).WithTags("Calls").WithSummary("Every change of a call's disposition, oldest first");
        app.MapGet("/api/dispositions", (CallCenter center) => Results.Json(new
        {
            queues = (center.Queues?.Config.Queues ?? []).ToDictionary(q => q.Name, q => new { codes = q.Dispositions, required = q.DispositionRequired }),
        })).WithTags("Calls").WithSummary("The disposition codes of each queue (and whether one is required before leaving wrap-up)");
        return app;
    }

    private static async Task<IResult> SetAsync(string id, DispositionRequest body, ClaimsPrincipal user, CallCenter center,
        DispositionService dispositions, Database db, CancellationToken ct)
    {
        var who = ConsoleIdentity.From(user)!;
        var record = await new CallStore(db).GetAsync(id, ct);
        if (record is null)
        {
            return Results.NotFound();
        }
        if (!who.SeesAll && record.Agent != who.User)
        {
            return ApiResults.Forbidden($"call {id} was not answered by {who.User}: agents set dispositions on their own calls");
        }
        var codes = (body.Codes ?? (body.Code is null ? [] : [body.Code])).Select(c => c.Trim()).Where(c => c.Length > 0).ToList();
        if (body.Note is { Length: > MaxNoteLength })
        {
            return Results.BadRequest(new { error = $"note is longer than {MaxNoteLength} characters" });
        }
        var outcome = await dispositions.SetAsync(center.Queues, id, codes, string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim(),
            who.User, "api", cancellationToken: ct);
        return outcome.Status switch
        {
            DispositionStatus.Set => Results.Json(ToJson(outcome.Entry!)),
            DispositionStatus.UnknownCall => Results.NotFound(),
            DispositionStatus.NoCodes => Results.Json(new { error = outcome.Reason }, statusCode: StatusCodes.Status409Conflict),
            _ => Results.BadRequest(new { error = outcome.Reason, allowed = outcome.Allowed }),
        };
    }

    private static async Task<IResult> HistoryAsync(string id, ClaimsPrincipal user, Database db, CancellationToken ct) =>
        await CallAccess.CheckAsync(ConsoleIdentity.From(user)!, id, db, ct)
        ?? Results.Json((await new DispositionStore(db).ListByCallAsync(id, ct)).Select(ToJson));

    private static object ToJson(DispositionEntry e) => new
    {
        callId = e.CallId,
        queue = e.Queue,
        codes = e.CodeList,
        note = e.Note,
        setBy = e.SetBy,
        source = e.Source,
        setAt = e.SetAt,
    };

    /// <summary>The body of <c>POST /api/calls/{id}/disposition</c>: <c>codes</c> (or one <c>code</c>) and an optional note.</summary>
    public sealed record DispositionRequest(IReadOnlyList<string>? Codes, string? Code, string? Note);
}
