using Telephony.Pbx.Queues.Actions;

namespace Telephony.Pbx.Queues;

public sealed partial class QueueScheduler
{
    /// <summary>Discrete-event loop: jump to the earliest due deadline, fire everything due then, dispatch, repeat.
    /// A long clock jump therefore behaves exactly like many small ones.</summary>
    private void RunTimersUntil(DateTimeOffset now)
    {
        while (EarliestDeadline() is { } due && due <= now)
        {
            if (due > _now)
            {
                _now = due;
            }
            FireDue();
            Dispatch();
        }
    }

    private DateTimeOffset? EarliestDeadline()
    {
        DateTimeOffset? min = null;
        void Consider(DateTimeOffset t)
        {
            if (min is null || t < min)
            {
                min = t;
            }
        }
        foreach (var call in _calls.Values)
        {
            if (call.State is not (CallState.Waiting or CallState.Offering))
            {
                continue;
            }
            var cfg = call.Queue.Config;
            if (call.RingDeadline is { } rd)
            {
                Consider(rd);
            }
            if (call.Kind == QueueEntryKind.Callback)
            {
                if (call.State == CallState.Waiting && call.NotBefore is { } nb && nb > _now)
                {
                    Consider(nb); // wake up to dispatch it
                }
                if (call.State == CallState.Waiting && call.Deadline is { } dl)
                {
                    Consider(dl);
                }
                continue; // no max wait, no announcements: nobody is on the line
            }
            if (call.MaxWait > TimeSpan.Zero && !call.OverflowDue)
            {
                Consider(call.EnteredQueueAt + call.MaxWait);
            }
            if (cfg.AnnounceInterval > TimeSpan.Zero)
            {
                Consider(call.LastAnnounceAt + cfg.AnnounceInterval);
            }
        }
        foreach (var agent in _agents.Values)
        {
            if (agent.State == AgentState.WrapUp && !agent.DispositionPending)
            {
                Consider(agent.WrapUpUntil);
            }
            if (agent.SkipUntil is { } s)
            {
                Consider(s);
            }
        }
        return min;
    }

    /// <summary>Fires every timer due at <see cref="_now"/>: ring timeouts, wrap-up ends, skip expiries, max waits,
    /// then announcements (calls in arrival order, agents by extension: deterministic).</summary>
    private void FireDue()
    {
        var calls = _calls.Values.OrderBy(c => c.Sequence).ToList();
        foreach (var call in calls)
        {
            if (call.State == CallState.Offering && call.RingDeadline <= _now)
            {
                foreach (var leg in call.Legs.ToList())
                {
                    EndLeg(leg, CancelReason.RingTimeout, markSkip: true, AgentState.Available);
                }
                AfterLegRemoved(call);
            }
        }
        foreach (var agent in _agents.Values)
        {
            if (agent.State == AgentState.WrapUp && agent.WrapUpUntil <= _now && !agent.DispositionPending)
            {
                LeaveWork(agent);
            }
            if (agent.SkipUntil <= _now)
            {
                agent.SkipUntil = null;
            }
        }
        foreach (var call in calls)
        {
            if (call.Kind == QueueEntryKind.Callback && call.State == CallState.Waiting && call.Deadline <= _now)
            {
                Withdraw(call, CallbackRemovalReason.Expired, $"deadline {call.Deadline:O} passed");
            }
        }
        foreach (var call in calls)
        {
            if (call.Kind == QueueEntryKind.Caller && call.State is CallState.Waiting or CallState.Offering && !call.OverflowDue
                && call.MaxWait > TimeSpan.Zero && call.EnteredQueueAt + call.MaxWait <= _now)
            {
                if (call.State == CallState.Waiting)
                {
                    Overflow(call);
                }
                else
                {
                    call.OverflowDue = true;
                }
            }
        }
        foreach (var call in calls)
        {
            var cfg = call.Queue.Config;
            if (call.Kind == QueueEntryKind.Caller && call.State is CallState.Waiting or CallState.Offering && cfg.AnnounceInterval > TimeSpan.Zero
                && call.LastAnnounceAt + cfg.AnnounceInterval <= _now)
            {
                call.LastAnnounceAt = _now;
                if (call.State == CallState.Waiting)
                {
                    var position = PositionOf(call);
                    _out.Add(new AnnouncePosition(call.InteractionId, call.Queue.Name, position, EstimateWait(call.Queue, position)));
                }
            }
        }
    }

    private TimeSpan? EstimateWait(QueueRuntime q, int position) =>
        EstimatedWait.Compute(position, StaffedAgents(q), q.RecentHandleTimes, q.Config.DefaultHandleTime);

    private int StaffedAgents(QueueRuntime q) =>
        q.Members.Keys.Count(a => _agents.TryGetValue(a, out var agent)
            && agent.State is AgentState.Available or AgentState.Ringing or AgentState.OnCall or AgentState.WrapUp);
}
