namespace Telephony.Pbx.Queues;

/// <summary>A consistent read-only picture of every queue and agent at <paramref name="At"/>.</summary>
public sealed record SchedulerSnapshot(DateTimeOffset At, IReadOnlyList<QueueSnapshot> Queues, IReadOnlyList<AgentSnapshot> Agents)
{
    public CallSnapshot? FindCall(string interactionId) =>
        Queues.SelectMany(q => q.Calls).FirstOrDefault(c => c.InteractionId == interactionId);

    public AgentSnapshot? FindAgent(string agent) => Agents.FirstOrDefault(a => a.Agent == agent);
}
