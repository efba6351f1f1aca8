using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Telephony.Host.Security;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip.Security;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// The SIP password-guessing bans for admins: <c>GET /api/admin/sip-bans</c> lists the sources refused now,
/// <c>DELETE /api/admin/sip-bans/{address}</c> lifts one (204; 404 when not banned; 400 for a bad address). Lifting is
/// audited as <c>sip.unban</c> with the admin as the actor.
/// </summary>
public static class SipBansApi
{
    public static void MapSipBansApi(this WebApplication app)
    {
        app.MapGet("/api/admin/sip-bans", (PbxServer server) => Results.Json(server.SipBans.Current.Select(View)))
            .RequireAuthorization(ConsoleRoles.AdminPolicy);

        app.MapDelete("/api/admin/sip-bans/{address}", (string address, PbxServer server, IAuditTrail audit, ClaimsPrincipal user,
            HttpContext context) =>
        {
            if (!IPAddress.TryParse(address, out var ip))
            {
                return Results.BadRequest(new { error = "bad_request", reason = $"'{address}' is not an IP address" });
            }
            var who = ConsoleIdentity.From(user)!;
            var lifted = server.SipBans.Lift(ip);
            audit.Record(new AuditEntry
            {
                Actor = who.User,
                Role = who.Role,
                Source = ClientAddress.Of(context),
                Action = AuditActions.Unban,
                Target = SipSecuritySettings.Normalize(ip).ToString(),
                Outcome = lifted ? AuditOutcomes.Ok : AuditOutcomes.Failed,
                Detail = lifted ? null : """{"reason":"not banned"}""",
            });
            return lifted
                ? Results.NoContent()
                : Results.NotFound(new { error = "not_found", reason = $"{address} is not banned" });
        }).RequireAuthorization(ConsoleRoles.AdminPolicy);
    }

    /// <summary>The <c>/health</c> figures of the ban list.</summary>
    public static object Health(SipBanList bans)
    {
        var c = bans.Counters;
        return new
        {
            activeBans = c.ActiveBans,
            bansIssued = c.BansIssued,
            bansExpired = c.BansExpired,
            bansLifted = c.BansLifted,
            authFailures = c.AuthFailures,
            requestsDropped = c.RequestsDropped,
            requestsForbidden = c.RequestsForbidden,
        };
    }

    /// <summary>
    /// Writes every ban and every expiry to the audit trail (actor <c>system</c>, source <c>sip:&lt;address&gt;</c>).
    /// The ban list raises its events on the SIP path, so the entries are only queued here. A lift by an admin is
    /// audited by the endpoint, with the admin as the actor.
    /// </summary>
    public static void AuditBans(SipBanList bans, IAuditTrail audit)
    {
        ArgumentNullException.ThrowIfNull(bans);
        bans.Banned += (_, e) => audit.Record(Entry(AuditActions.Ban, e.Ban));
        bans.Unbanned += (_, e) =>
        {
            if (e.Change == SipBanChange.Expired)
            {
                audit.Record(Entry(AuditActions.Unban, e.Ban, "expired"));
            }
        };
    }

    private static AuditEntry Entry(string action, SipBan ban, string? how = null) => new()
    {
        Actor = "system",
        Source = "sip:" + ban.Address,
        Action = action,
        Target = ban.Address.ToString(),
        Detail = JsonSerializer.Serialize(new
        {
            reason = ban.Reason.ToString(),
            user = ban.User,
            failures = ban.Failures,
            strike = ban.Strike,
            until = ban.ExpiresAt,
            change = how,
        }),
    };

    private static object View(SipBan ban) => new
    {
        address = ban.Address.ToString(),
        reason = ban.Reason.ToString(),
        user = ban.User,
        failures = ban.Failures,
        strike = ban.Strike,
        bannedAt = ban.BannedAt,
        expiresAt = ban.ExpiresAt,
        durationSeconds = (long)ban.Duration.TotalSeconds,
        requestsRefused = ban.RequestsRefused,
    };
}
