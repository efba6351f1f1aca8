using System.Security.Claims;
using Telephony.Host.Callbacks;
using Telephony.Host.Ivr;
using Telephony.Host.Security;
using Telephony.Pbx.Calls;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// The agent desktop's callback tasks: <c>GET /api/agents/{ext}/callbacks</c> (an agent: its own extension; supervisors
/// and admins: any). Of the last 7 days, newest first: the callbacks pending in the queues the agent is a member of (one
/// of their agents will call the customer back), and those the agent made, is making or asked for, whatever their status.
/// Items have the shape of <c>GET /api/callbacks</c>'s.
/// </summary>
public static class AgentCallbacksApi
{
    /// <summary>How far back the list goes.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    public static void MapAgentCallbacksApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/agents/{ext}/callbacks", ListAsync).WithTags("Agent desktop")
            .WithSummary("Callback tasks of an agent: pending in its queues, and those it made or asked for (last 7 days, newest first)");
    }

    /// <summary>True when <paramref name="callback"/> is one of <paramref name="agent"/>'s tasks: made (or being made) or asked
    /// for by it, or pending in one of its <paramref name="queues"/>.</summary>
    public static bool IsTaskOf(CallbackRecord callback, string agent, IReadOnlySet<string> queues)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(queues);
        return callback.Agent == agent || callback.RequestedBy == agent
            || (callback.Status == nameof(CallbackStatus.Pending) && queues.Contains(callback.Queue));
    }

    private static async Task<IResult> ListAsync(string ext, ClaimsPrincipal user, CallbackLedger ledger, CallCenter center, TimeProvider time,
        CancellationToken ct)
    {
        var who = ConsoleIdentity.From(user)!;
        if (!who.SeesAll && who.User != ext)
        {
            return ApiResults.Forbidden($"{who.User} may only see its own callback tasks, not {ext}'s");
        }
        var queues = (center.Queues?.Config.Queues ?? []).Where(q => q.Members.Any(m => m.Agent == ext)).Select(q => q.Name)
            .ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var records = await ledger.Store.ListAsync(now - Window, now + TimeSpan.FromMinutes(1), cancellationToken: ct);
        var mine = records.Where(r => IsTaskOf(r, ext, queues)).ToList();
        var positions = await CallbackApi.PositionsAsync(center, ct);
        return Results.Json(new { agent = ext, queues = queues.Order(StringComparer.Ordinal), items = mine.Select(r => CallbackApi.Summary(r, center, positions)) });
    }
}
