using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Telephony.Host.Ivr;
using Telephony.Host.Recording;
using Telephony.Host.Security;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// Voicemail messages: <c>GET /api/voicemails?mailbox=&amp;status=&amp;from=&amp;to=&amp;page=&amp;pageSize=</c> (newest first),
/// <c>GET /api/voicemails/{id}</c>, <c>GET /api/voicemails/{id}/audio</c> (the mono WAV, RFC 9110 §14 ranges; the first
/// play marks a new message heard; plays and downloads are audited) and <c>POST /api/voicemails/{id}/handled</c> (records
/// who handled it and the reply time, message to handled). Access per <see cref="MailboxAccess"/>: supervisors and admins
/// every mailbox, an agent its own extension's and its queues'.
/// </summary>
public static class VoicemailApi
{
    /// <summary>Largest page size.</summary>
    public const int MaxPageSize = 500;

    public static WebApplication MapVoicemailApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/voicemails", ListAsync).WithTags("Voicemail")
            .WithSummary("Voicemail messages, newest first: mailbox (queue or extension), status new|heard|handled|discarded, time range, paged")
            .WithDescription("Items: {id, mailbox, callId, caller, createdAt, durationMs, sizeBytes, sha256, status, heardAt, heardBy, "
                + "handledAt, handledBy, replyMs, audio}. Without status: new, heard and handled. Agents: their extension's and their "
                + "queues' mailboxes (another mailbox: 403).");
        app.MapGet("/api/voicemails/{id:long}", GetAsync).WithTags("Voicemail").WithSummary("One voicemail message");
        app.MapGet("/api/voicemails/{id:long}/audio", AudioAsync).WithTags("Voicemail")
            .WithSummary("The message's mono WAV (Range requests); the first play marks a new message heard; plays and downloads are audited");
        app.MapPost("/api/voicemails/{id:long}/handled", HandledAsync).WithTags("Voicemail")
            .WithSummary("Mark a message handled (who, when, reply time from the message); 409 when already handled");
        return app;
    }

    private static async Task<IResult> ListAsync(string? mailbox, string? status, string? from, string? to, int? page, int? pageSize,
        ClaimsPrincipal user, CallCenter center, Database db, CancellationToken ct)
    {
        var who = ConsoleIdentity.From(user)!;
        var allowed = MailboxAccess.MailboxesOf(who, center);
        IReadOnlyCollection<string>? mailboxes = allowed;
        if (!string.IsNullOrEmpty(mailbox))
        {
            if (allowed is not null && !allowed.Contains(mailbox))
            {
                return ApiResults.Forbidden($"mailbox {mailbox} is not one of {who.User}'s (its extension and its queues)");
            }
            mailboxes = [mailbox];
        }
        VoicemailStatus? parsed = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<VoicemailStatus>(status, ignoreCase: true, out var s) || !Enum.IsDefined(s) || int.TryParse(status, out _))
            {
                return Results.BadRequest(new { error = $"status must be one of {string.Join(", ", Enum.GetNames<VoicemailStatus>().Select(n => n.ToLowerInvariant()))}" });
            }
            parsed = s;
        }
        if (!QueryTime.TryParse(from, null, out var start) || !QueryTime.TryParse(to, null, out var end))
        {
            return Results.BadRequest(new { error = "from/to must be ISO 8601 times" });
        }
        int size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        int number = Math.Max(page ?? 1, 1);
        var items = await new VoicemailStore(db).ListAsync(new VoicemailQuery
        {
            Mailboxes = mailboxes,
            Status = parsed,
            From = start,
            To = end,
            Offset = (number - 1) * size,
            Limit = size,
        }, ct);
        return Results.Json(new { page = number, pageSize = size, items = items.Select(ToJson) });
    }

    private static async Task<IResult> GetAsync(long id, ClaimsPrincipal user, CallCenter center, Database db, CancellationToken ct)
    {
        var (message, refused) = await FindAsync(id, user, center, db, ct);
        return refused ?? Results.Json(ToJson(message!));
    }

    private static async Task<IResult> AudioAsync(long id, HttpContext context, ClaimsPrincipal user, CallCenter center, Database db,
        IAuditTrail audit, EventNotifier notifier, TimeProvider time)
    {
        var ct = context.RequestAborted;
        var who = ConsoleIdentity.From(user)!;
        var (message, refused) = await FindAsync(id, user, center, db, ct);
        var target = id.ToString(CultureInfo.InvariantCulture);
        if (refused is not null)
        {
            if (message is not null)
            {
                await audit.RecordAsync(AuthApi.Entry(context, who, AuditActions.VoicemailDownload, target, AuditOutcomes.Denied,
                    JsonSerializer.Serialize(new { mailbox = message.Mailbox })), ct);
            }
            return refused;
        }
        if (message!.Status is VoicemailStatus.Recording or VoicemailStatus.Discarded || !File.Exists(message.Path))
        {
            return Results.NotFound();
        }
        var access = WavDownload.Classify(context.Request);
        if (access != WavAccess.Seek)
        {
            await audit.RecordAsync(AuthApi.Entry(context, who, access == WavAccess.Download ? AuditActions.VoicemailDownload : AuditActions.VoicemailPlay,
                target, AuditOutcomes.Ok, JsonSerializer.Serialize(new { mailbox = message.Mailbox, callId = message.CallId })), ct);
            var at = time.GetUtcNow();
            if (await new VoicemailStore(db).MarkHeardAsync(id, who.User, at, ct))
            {
                await new EventLog(db).AppendAsync(EventTypes.VoicemailHeard, message.CallId, JsonSerializer.Serialize(new
                {
                    voicemailId = id, mailbox = message.Mailbox, callId = message.CallId, caller = message.Caller, heardBy = who.User,
                }, CallRecorder.JsonText), at, ct);
                notifier.Notify();
            }
        }
        return WavDownload.File(message.Path);
    }

    private static async Task<IResult> HandledAsync(long id, ClaimsPrincipal user, CallCenter center, Database db, EventNotifier notifier,
        TimeProvider time, CancellationToken ct)
    {
        var who = ConsoleIdentity.From(user)!;
        var (message, refused) = await FindAsync(id, user, center, db, ct);
        if (refused is not null)
        {
            return refused;
        }
        var at = time.GetUtcNow();
        var handled = await new VoicemailStore(db).MarkHandledAsync(id, who.User, at, ct);
        if (handled is null)
        {
            return Results.Json(new { error = $"message {id} is {message!.Status.ToString().ToLowerInvariant()}: only new or heard messages can be handled" },
                statusCode: StatusCodes.Status409Conflict);
        }
        await new EventLog(db).AppendAsync(EventTypes.VoicemailHandled, handled.CallId, JsonSerializer.Serialize(new
        {
            voicemailId = id,
            mailbox = handled.Mailbox,
            callId = handled.CallId,
            caller = handled.Caller,
            handledBy = who.User,
            replyMs = handled.ReplyTime is { } r ? (long)r.TotalMilliseconds : (long?)null,
        }, CallRecorder.JsonText), at, ct);
        notifier.Notify();
        return Results.Json(ToJson(handled));
    }

    /// <summary>The message, or the 404/403 to answer.</summary>
    private static async Task<(VoicemailMessage? Message, IResult? Refused)> FindAsync(long id, ClaimsPrincipal user, CallCenter center,
        Database db, CancellationToken ct)
    {
        var who = ConsoleIdentity.From(user)!;
        var message = await new VoicemailStore(db).GetAsync(id, ct);
        if (message is null)
        {
            return (null, Results.NotFound());
        }
        return MailboxAccess.CanUse(who, center, message.Mailbox)
            ? (message, null)
            : (message, ApiResults.Forbidden($"mailbox {message.Mailbox} is not one of {who.User}'s (its extension and its queues)"));
    }

    internal static object ToJson(VoicemailMessage m) => new
    {
        id = m.Id,
        mailbox = m.Mailbox,
        callId = m.CallId,
        caller = m.Caller,
        createdAt = m.CreatedAt,
        durationMs = m.Duration is { } d ? (long)d.TotalMilliseconds : (long?)null,
        sizeBytes = m.SizeBytes,
        sha256 = m.Sha256,
        status = m.Status.ToString().ToLowerInvariant(),
        heardAt = m.HeardAt,
        heardBy = m.HeardBy,
        handledAt = m.HandledAt,
        handledBy = m.HandledBy,
        replyMs = m.ReplyTime is { } r ? (long)r.TotalMilliseconds : (long?)null,
        audio = m.AudioPath,
    };
}
