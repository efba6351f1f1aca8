using System.Security.Claims;
using Telephony.Host.Security;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Server;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// This node's cluster face for admins: <c>GET /api/cluster</c> (node id, proxy, draining, calls up; with
/// <c>cluster.database</c> set, the queues this node owns: <c>ownedQueues [{queue, token, expiresAt}]</c>),
/// <c>POST /api/cluster/drain</c> (new INVITEs and the proxy's OPTIONS probe get 503, RFC 3261 §21.5.4, so Kamailio
/// stops sending calls here while the calls up carry on) and <c>POST /api/cluster/resume</c>. Both are audited
/// (<c>cluster.drain</c>, <c>cluster.resume</c>) and answer the new state (200).
/// </summary>
public static class ClusterApi
{
    /// <summary>Audit action of <c>POST /api/cluster/drain</c>.</summary>
    public const string DrainAction = "cluster.drain";

    /// <summary>Audit action of <c>POST /api/cluster/resume</c>.</summary>
    public const string ResumeAction = "cluster.resume";

    public static void MapClusterApi(this WebApplication app)
    {
        app.MapGet("/api/cluster", (PbxServer server, PbxOptions options, Telephony.Host.Cluster.QueueLeaseService leases) =>
                Results.Json(new
                {
                    nodeId = options.Cluster.EffectiveNodeId,
                    proxy = options.Cluster.ProxyEndPoint?.ToString(),
                    draining = server.Calls.IsDraining,
                    activeCalls = server.Calls.ActiveCalls,
                    queueLeases = leases.Enabled,
                    ownedQueues = leases.Owned.Values.OrderBy(l => l.Queue, StringComparer.Ordinal)
                        .Select(l => new { queue = l.Queue, token = l.Token, expiresAt = l.ExpiresAt }),
                }))
            .RequireAuthorization(ConsoleRoles.AdminPolicy);
        app.MapPost("/api/cluster/drain", (PbxServer server, PbxOptions options, IAuditTrail audit, ClaimsPrincipal user,
            HttpContext context) => Change(server, options, audit, user, context, drain: true))
            .RequireAuthorization(ConsoleRoles.AdminPolicy);
        app.MapPost("/api/cluster/resume", (PbxServer server, PbxOptions options, IAuditTrail audit, ClaimsPrincipal user,
            HttpContext context) => Change(server, options, audit, user, context, drain: false))
            .RequireAuthorization(ConsoleRoles.AdminPolicy);
    }

    /// <summary>The <c>/health</c> part: node id and whether it takes new calls (anonymous, like the rest of /health).</summary>
    public static object Health(PbxServer server, PbxOptions options)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        return new { nodeId = options.Cluster.EffectiveNodeId, draining = server.Calls.IsDraining };
    }

    private static IResult Change(PbxServer server, PbxOptions options, IAuditTrail audit, ClaimsPrincipal user,
        HttpContext context, bool drain)
    {
        var changed = drain ? server.Calls.Drain() : server.Calls.Resume();
        var who = ConsoleIdentity.From(user)!;
        audit.Record(new AuditEntry
        {
            Actor = who.User,
            Role = who.Role,
            Source = ClientAddress.Of(context),
            Action = drain ? DrainAction : ResumeAction,
            Target = options.Cluster.EffectiveNodeId,
            Outcome = AuditOutcomes.Ok,
            Detail = changed ? null : """{"reason":"no change"}""",
        });
        return Results.Json(View(server, options));
    }

    private static object View(PbxServer server, PbxOptions options) => new
    {
        nodeId = options.Cluster.EffectiveNodeId,
        proxy = options.Cluster.ProxyEndPoint?.ToString(),
        draining = server.Calls.IsDraining,
        activeCalls = server.Calls.ActiveCalls,
    };
}
