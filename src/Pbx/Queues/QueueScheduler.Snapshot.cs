namespace Telephony.Pbx.Queues;

public sealed partial class QueueScheduler
{
    /// <summary>A consistent picture of all queues (callers in service order) and agents (by extension).</summary>
    public SchedulerSnapshot Snapshot()
    {
        var queues = new List<QueueSnapshot>();
        foreach (var q in _queues)
        {
            var calls = q.Calls.ToList();
            calls.Sort(ServiceOrder);
            var snapshots = calls.Select(c => new CallSnapshot(
                c.InteractionId, q.Name, c.State, c.BasePriority, EffectivePriority(c), _now - c.EnteredQueueAt,
                c.State is CallState.Waiting or CallState.Offering ? PositionOf(c) : 0,
                c.Agent?.Id, [.. c.Legs.Select(l => l.Agent.Id)], c.Tags, c.Data, c.Kind, c.NotBefore)).ToList();
            queues.Add(new QueueSnapshot(q.Name, q.Config.Strategy, snapshots, StaffedAgents(q),
                EstimatedWait.AverageHandleTime(q.RecentHandleTimes, q.Config.DefaultHandleTime), q.Retired));
        }
        var agents = _agents.Values.Select(a => new AgentSnapshot(
            a.Id, a.State, a.PauseReason, a.Call?.InteractionId ?? a.Offer?.Call.InteractionId,
            [.. _queues.Where(q => q.Members.ContainsKey(a.Id)).Select(q => q.Name)],
            a.SkipUntil, a.LogoutPending, a.PendingPauseReason, a.DispositionPending)).ToList();
        return new SchedulerSnapshot(_now, queues, agents);
    }

    /// <summary>The state of a tracked caller, or null once it left the scheduler (connected calls are tracked
    /// until they end).</summary>
    public CallState? GetCallState(string interactionId) => _calls.TryGetValue(interactionId, out var c) ? c.State : null;

    /// <summary>The state of an agent; unknown agents are logged out.</summary>
    public AgentState GetAgentState(string agent) => _agents.TryGetValue(agent, out var a) ? a.State : AgentState.LoggedOut;
}
