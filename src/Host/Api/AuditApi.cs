using Telephony.Host.Security;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// <c>GET /api/audit?from=&amp;to=&amp;actor=&amp;action=&amp;target=&amp;outcome=&amp;page=&amp;pageSize=</c> (admin): the audit
/// trail, newest first, paged (<c>action</c> ending in a dot is a category: <c>auth.</c>). Read-only: there is no
/// endpoint that changes or deletes audit entries.
/// </summary>
public static class AuditApi
{
    public const int MaxPageSize = 500;

    public static void MapAuditApi(this WebApplication app) =>
        app.MapGet("/api/audit", async (string? from, string? to, string? actor, string? action, string? target, string? outcome,
            int? page, int? pageSize, Database db, CancellationToken ct) =>
        {
            DateTimeOffset? start = null, end = null;
            if (!QueryTime.TryParse(from, start, out start) || !QueryTime.TryParse(to, end, out end))
            {
                return Results.BadRequest(new { error = "from/to must be ISO 8601 times" });
            }

            int size = Math.Clamp(pageSize ?? 100, 1, MaxPageSize);
            int number = Math.Max(page ?? 1, 1);
            IReadOnlyList<AuditEntry> rows = await new AuditStore(db).QueryAsync(new AuditQuery
            {
                From = start,
                To = end,
                Actor = Empty(actor),
                Action = Empty(action),
                Target = Empty(target),
                Outcome = Empty(outcome),
                Offset = (number - 1) * size,
                Limit = size,
            }, ct).ConfigureAwait(false);
            return Results.Json(new
            {
                page = number,
                pageSize = size,
                items = rows.Select(r => new
                {
                    id = r.Id,
                    at = r.OccurredAt,
                    actor = r.Actor,
                    role = r.Role,
                    source = r.Source,
                    action = r.Action,
                    target = r.Target,
                    outcome = r.Outcome,
                    detail = r.Detail,
                }),
            });
        }).RequireAuthorization(ConsoleRoles.AdminPolicy);

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
