using Telephony.Pbx.Calls;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Server;

namespace Telephony.Host.Api;

/// <summary>
/// The queue interaction ringing at or connected to an agent and the live call behind it. The queue scheduler knows
/// interactions by their interaction id; call records and live calls are keyed by the caller's SIP Call-ID
/// (<see cref="Call.Id"/>, RFC 3261 §8.1.1.4): the <see cref="ApplicationCall"/> carrying the interaction id links the two.
/// </summary>
/// <param name="Offered">The interaction as the queue scheduler sees it.</param>
/// <param name="Call">The live call of the interaction (null when it ended meanwhile).</param>
public sealed record AgentInteraction(CallSnapshot Offered, ApplicationCall? Call)
{
    /// <summary>The interaction at <paramref name="agent"/> in <paramref name="snapshot"/> (ringing it, or connected
    /// to it), or null.</summary>
    public static AgentInteraction? Find(string agent, SchedulerSnapshot snapshot, PbxServer server)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(server);
        CallSnapshot? offered = snapshot.Queues.SelectMany(q => q.Calls)
            .FirstOrDefault(c => c.Agent == agent || c.RingingAgents.Contains(agent, StringComparer.Ordinal));
        return offered is null ? null : new AgentInteraction(offered, FindCall(offered.InteractionId, server.Calls.Calls));
    }

    /// <summary>The live application call of <paramref name="interactionId"/> among <paramref name="calls"/>.</summary>
    public static ApplicationCall? FindCall(string interactionId, IEnumerable<Call> calls) =>
        calls.OfType<ApplicationCall>().FirstOrDefault(c => c.InteractionId == interactionId && !c.IsEnded);
}
