using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Queues;

public sealed partial class QueueScheduler
{
    /// <summary>Matches waiting callers to free agents. Callers are served globally in <see cref="ServiceOrder"/>
    /// (across all queues), so an agent who serves several queues always gets the best caller they can take.
    /// Each caller takes agents from its queue's lowest-penalty tier of eligible agents, picked by the strategy.</summary>
    private void Dispatch()
    {
        var waiting = _calls.Values.Where(c => c.State == CallState.Waiting && IsDue(c)).ToList();
        if (waiting.Count == 0)
        {
            return;
        }
        waiting.Sort(ServiceOrder);
        foreach (var call in waiting)
        {
            var q = call.Queue;
            if (_gate is not null && !_gate.DispatchesLocally(call.InteractionId, q.Name, call.Kind, out var assigned))
            {
                OfferAssigned(call, assigned);
                continue;
            }
            var tier = EligibleTier(q);
            if (tier.Count == 0)
            {
                continue;
            }
            switch (q.Config.Strategy)
            {
                case QueueStrategy.RingAll:
                    Offer(call, tier);
                    break;
                case QueueStrategy.RoundRobin:
                    var n = q.Config.Members.Count;
                    var next = tier.MinBy(e => (e.Index - q.Cursor - 1 + 2 * n) % n);
                    q.Cursor = next.Index;
                    Offer(call, [next]);
                    break;
                default:
                    Offer(call, [tier.MinBy(e => (e.Agent.IdleSince, e.Index))]);
                    break;
            }
        }
    }

    /// <summary>A caller governed by the gate rings only the agent assigned to it, if that agent is a member of its queue
    /// and free here; otherwise the assignment goes back.</summary>
    private void OfferAssigned(QueueCall call, string? agentId)
    {
        if (agentId is null)
        {
            return;
        }
        if (call.Queue.Members.TryGetValue(agentId, out var member) && _agents.TryGetValue(agentId, out var agent) && IsEligible(agent))
        {
            Offer(call, [(agent, member.Index)]);
            _gatedOffers.Add(call.Legs[^1].OfferId);
            return;
        }
        _gate!.Released(call.InteractionId, agentId);
    }

    /// <summary>The eligible members of <paramref name="q"/> (available, not skipped) with the lowest penalty,
    /// in member-list order.</summary>
    private List<(QueueAgent Agent, int Index)> EligibleTier(QueueRuntime q)
    {
        var result = new List<(QueueAgent, int)>();
        var best = int.MaxValue;
        foreach (var (id, (penalty, index)) in q.Members)
        {
            if (!_agents.TryGetValue(id, out var agent) || !IsEligible(agent) || penalty > best)
            {
                continue;
            }
            if (penalty < best)
            {
                best = penalty;
                result.Clear();
            }
            result.Add((agent, index));
        }
        result.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return result;
    }

    private static bool IsEligible(QueueAgent agent) => agent.State == AgentState.Available && agent.SkipUntil is null;

    /// <summary>A caller is always due; a callback once its <see cref="QueueCall.NotBefore"/> has come.</summary>
    private bool IsDue(QueueCall call) => call.NotBefore is not { } notBefore || notBefore <= _now;

    private void Offer(QueueCall call, IReadOnlyList<(QueueAgent Agent, int Index)> agents)
    {
        var timeout = RingTimeoutOf(call.Queue);
        SetCall(call, CallState.Offering);
        call.RingDeadline = _now + timeout;
        foreach (var (agent, _) in agents)
        {
            var leg = new RingLeg(++_nextOfferId, call, agent);
            _offers.Add(leg.OfferId, leg);
            call.Legs.Add(leg);
            agent.Offer = leg;
            SetAgent(agent, AgentState.Ringing);
            _out.Add(new RingAgent(leg.OfferId, call.InteractionId, agent.Id, call.Queue.Name, call.BasePriority, timeout, call.Tags,
                call.Data, call.Kind));
        }
    }

    /// <summary>Effective priority now: base priority raised by time waited since first arrival (per the queue's aging).</summary>
    private int EffectivePriority(QueueCall call) =>
        call.Queue.Config.PriorityAging.EffectivePriority(call.BasePriority, _now - call.ArrivedAt);

    /// <summary>Service order (<see cref="QueueOrderKey.Compare"/>, shared with a cluster queue's owner): a caller put back
    /// at the head (its agent was lost) first, then higher effective priority, then earlier arrival, then arrival sequence.</summary>
    private int ServiceOrder(QueueCall a, QueueCall b) => QueueOrderKey.Compare(OrderKeyOf(a), OrderKeyOf(b));

    private QueueOrderKey OrderKeyOf(QueueCall call) => new(call.AtHead, EffectivePriority(call), call.ArrivedAt, call.Sequence);

    /// <summary>1-based position among the waiting and offering callers of the caller's queue, in service order.</summary>
    private int PositionOf(QueueCall call)
    {
        var position = 1;
        foreach (var other in call.Queue.Calls)
        {
            if (other != call && other.State is CallState.Waiting or CallState.Offering && ServiceOrder(other, call) < 0)
            {
                position++;
            }
        }
        return position;
    }
}
