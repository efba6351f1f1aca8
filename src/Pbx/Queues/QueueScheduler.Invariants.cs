using System.Runtime.CompilerServices;

namespace Telephony.Pbx.Queues;

public sealed partial class QueueScheduler
{
    /// <summary>Verifies every invariant of the state (README, "Invariants"); throws <see cref="QueueInvariantException"/>
    /// naming the first one broken. Runs after every step unless <see cref="CheckInvariantsAfterEachStep"/> is off.</summary>
    public void CheckInvariants()
    {
        // Linear in calls + agents + queue members (it runs after every step in production too): membership and
        // "a member is free" are computed once per queue, not once per waiting call.
        var offered = new HashSet<QueueAgent>();
        var bridged = new HashSet<QueueAgent>();
        var listed = new HashSet<QueueCall>();
        var freeMember = new Dictionary<QueueRuntime, string?>();
        foreach (var queue in _queues)
        {
            foreach (var listedCall in queue.Calls)
            {
                Require(listedCall.Queue == queue && listed.Add(listedCall), $"call {listedCall.InteractionId} is listed twice or in another queue");
            }
            string? free = null;
            foreach (var (agentId, _) in queue.Members)
            {
                if (_agents.TryGetValue(agentId, out var a) && IsEligible(a))
                {
                    free = agentId;
                    break;
                }
            }
            freeMember[queue] = free;
        }
        var legs = 0;
        foreach (var call in _calls.Values)
        {
            var id = call.InteractionId;
            Require(!CallTransitions.IsTerminal(call.State), $"call {id} is {call.State} but still tracked");
            Require(call.Kind == QueueEntryKind.Callback || (call.NotBefore is null && call.Deadline is null),
                $"caller {id} has a callback's not-before or deadline");
            Require(call.Kind == QueueEntryKind.Caller || (!call.OverflowDue && call.OwnMaxWait is null),
                $"callback {id} has a caller's max wait");
            Require(listed.Contains(call), $"call {id} is not listed in its queue");
            switch (call.State)
            {
                case CallState.Waiting:
                    Require(call.Legs.Count == 0 && call.Agent is null && call.RingDeadline is null, $"waiting call {id} has legs or an agent");
                    Require(!call.OverflowDue, $"waiting call {id} has a pending overflow");
                    Require(freeMember[call.Queue] is null || !IsDue(call) || _gate is not null, $"agent {freeMember[call.Queue]} is free while call {id} waits in {call.Queue.Name}");
                    break;
                case CallState.Offering:
                    Require(call.Legs.Count > 0 && call.Agent is null && call.RingDeadline is not null, $"offering call {id} has no leg or has an agent");
                    foreach (var leg in call.Legs)
                    {
                        legs++;
                        Require(offered.Add(leg.Agent), $"agent {leg.Agent.Id} is offered two calls");
                        Require(leg.Call == call && _offers.TryGetValue(leg.OfferId, out var o) && o == leg, $"offer {leg.OfferId} is not registered");
                        Require(leg.Agent.State == AgentState.Ringing && leg.Agent.Offer == leg, $"agent {leg.Agent.Id} rung for {id} is {leg.Agent.State}");
                    }
                    break;
                case CallState.Connected:
                    Require(call.Legs.Count == 0 && call.Agent is not null, $"connected call {id} has legs or no agent");
                    Require(bridged.Add(call.Agent!), $"agent {call.Agent!.Id} is bridged to two calls");
                    Require(call.Agent!.State == AgentState.OnCall && call.Agent.Call == call, $"agent of connected call {id} is {call.Agent.State}");
                    break;
            }
        }
        Require(legs == _offers.Count, $"{_offers.Count} offers registered but {legs} legs ringing");
        Require(_queues.Sum(q => q.Calls.Count) == _calls.Count, "queue lists and call table disagree");
        foreach (var agent in _agents.Values)
        {
            var id = agent.Id;
            Require(offered.Contains(agent) == (agent.State == AgentState.Ringing), $"agent {id} is {agent.State} but offers disagree");
            Require(bridged.Contains(agent) == (agent.State == AgentState.OnCall), $"agent {id} is {agent.State} but calls disagree");
            Require((agent.Offer is not null) == (agent.State == AgentState.Ringing), $"agent {id} is {agent.State} with offer {agent.Offer?.OfferId}");
            Require((agent.Call is not null) == (agent.State == AgentState.OnCall), $"agent {id} is {agent.State} with a call");
            Require((agent.PauseReason is not null) == (agent.State == AgentState.Paused), $"agent {id} is {agent.State} with pause reason {agent.PauseReason}");
            Require(!agent.LogoutPending || agent.State == AgentState.OnCall, $"agent {id} has a pending logout while {agent.State}");
            Require(agent.PendingPauseReason is null || agent.State is AgentState.OnCall or AgentState.WrapUp,
                $"agent {id} has a pending pause while {agent.State}");
            Require(agent.SkipUntil is null || agent.SkipUntil > _now, $"agent {id} skip window expired but not cleared");
            Require(!agent.DispositionPending || agent.State == AgentState.WrapUp, $"agent {id} waits for a disposition while {agent.State}");
            Require(agent.State != AgentState.LoggedOut || agent.SkipUntil is null, $"logged-out agent {id} is marked skipped");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new QueueInvariantException(message);
        }
    }

    /// <summary>Interpolated messages are only formatted when the invariant is broken.</summary>
    private static void Require(bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref InvariantMessage message)
    {
        if (!condition)
        {
            throw new QueueInvariantException(message.ToStringAndClear());
        }
    }

    /// <summary>Builds an invariant's message only when its condition is false (the check itself costs no formatting).</summary>
    [InterpolatedStringHandler]
    private ref struct InvariantMessage
    {
        private DefaultInterpolatedStringHandler _inner;

        public InvariantMessage(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
        {
            shouldAppend = !condition;
            _inner = shouldAppend ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
        }

        public void AppendLiteral(string value) => _inner.AppendLiteral(value);

        public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

        public string ToStringAndClear() => _inner.ToStringAndClear();
    }
}
