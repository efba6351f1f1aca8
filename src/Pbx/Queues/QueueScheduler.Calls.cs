using Microsoft.Extensions.Logging;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Queues;

public sealed partial class QueueScheduler
{
    private void OnCallArrived(CallArrived c)
    {
        if (_calls.ContainsKey(c.InteractionId))
        {
            _out.Add(new CallRejected(c.InteractionId, c.Queue, "interaction is already in a queue"));
            return;
        }
        if (FindQueue(c.Queue) is not { Retired: false } q)
        {
            _out.Add(new CallRejected(c.InteractionId, c.Queue, $"no queue named '{c.Queue}'"));
            return;
        }
        var call = new QueueCall(c.InteractionId, ++_nextSequence)
        {
            Queue = q,
            BasePriority = c.BasePriority,
            Tags = c.Tags ?? [],
            Data = c.Data ?? new Dictionary<string, string>(),
            OwnMaxWait = c.MaxWait is { } own && own > TimeSpan.Zero ? own : null,
            ArrivedAt = _now,
            EnteredQueueAt = _now,
            LastAnnounceAt = _now,
        };
        _calls.Add(call.InteractionId, call);
        q.Calls.Add(call);
        _logger.LogDebug("Interaction {InteractionId} queued in {Queue} with priority {Priority}", call.InteractionId, q.Name, c.BasePriority);
    }

    private void OnCallerHungUp(CallerHungUp c)
    {
        if (!_calls.TryGetValue(c.InteractionId, out var call))
        {
            Ignore(c, "no such caller in a queue");
            return;
        }
        if (call.Kind == QueueEntryKind.Callback && call.State != CallState.Connected)
        {
            Ignore(c, "a callback has no caller on the line (use CallbackCancelled)");
            return;
        }
        switch (call.State)
        {
            case CallState.Connected:
                EndConnected(call);
                break;
            case CallState.Waiting or CallState.Offering:
                var position = PositionOf(call);
                foreach (var leg in call.Legs.ToList())
                {
                    EndLeg(leg, CancelReason.CallerHungUp, markSkip: false, AgentState.Available);
                }
                call.RingDeadline = null;
                SetCall(call, CallState.Abandoned);
                RemoveCall(call);
                _out.Add(new CallAbandoned(call.InteractionId, call.Queue.Name, _now - call.EnteredQueueAt, position));
                _logger.LogInformation("Interaction {InteractionId} abandoned {Queue} after {Waited}", call.InteractionId, call.Queue.Name, _now - call.EnteredQueueAt);
                break;
        }
    }

    private void OnRingResult(AgentRingResult c)
    {
        if (!_offers.TryGetValue(c.OfferId, out var leg))
        {
            if (c.Outcome == RingOutcome.Answered)
            {
                _out.Add(new ReleaseAgentLeg(c.OfferId, _endedOffers.GetValueOrDefault(c.OfferId, "")));
            }
            Ignore(c, "offer no longer exists");
            return;
        }
        var call = leg.Call;
        if (c.Outcome != RingOutcome.Answered)
        {
            EndLeg(leg, reason: null, markSkip: true, AgentState.Available);
            AfterLegRemoved(call);
            return;
        }
        var winner = leg.Agent;
        RemoveLeg(leg);
        SetCall(call, CallState.Connected);
        call.RingDeadline = null;
        call.OverflowDue = false;
        call.Agent = winner;
        call.ConnectedAt = _now;
        call.AtHead = false;
        winner.Call = call;
        SetAgent(winner, AgentState.OnCall);
        foreach (var other in call.Legs.ToList())
        {
            EndLeg(other, CancelReason.AnsweredElsewhere, markSkip: false, AgentState.Available);
        }
        _out.Add(new BridgeCallToAgent(leg.OfferId, call.InteractionId, winner.Id, call.Queue.Name));
    }

    private void OnAgentCallEnded(AgentCallEnded c)
    {
        if (!_calls.TryGetValue(c.InteractionId, out var call) || call.State != CallState.Connected)
        {
            Ignore(c, "no connected queue call for this interaction");
            return;
        }
        EndConnected(call);
    }

    /// <summary>The agent was lost mid-call: the caller waits again, at the head of the queue; the agent is released
    /// (logged out when its phone is gone) without wrap-up.</summary>
    private void OnAgentLost(AgentLost c)
    {
        if (!_calls.TryGetValue(c.InteractionId, out var call) || call.State != CallState.Connected || call.Agent is not { } agent)
        {
            Ignore(c, "no connected queue call for this interaction");
            return;
        }
        call.Agent = null;
        agent.Call = null;
        if (agent.LogoutPending)
        {
            LogOut(agent);
        }
        else
        {
            LeaveWork(agent);
        }
        SetCall(call, CallState.Waiting);
        call.AtHead = true;
        call.EnteredQueueAt = _now;
        call.LastAnnounceAt = _now;
        _logger.LogInformation("Interaction {InteractionId} lost agent {Agent}: back at the head of {Queue}", call.InteractionId, agent.Id, call.Queue.Name);
    }

    private void EndConnected(QueueCall call)
    {
        var agent = call.Agent!;
        var q = call.Queue;
        var talk = _now - call.ConnectedAt;
        q.RecordHandleTime(talk + q.Config.WrapUp);
        SetCall(call, CallState.Done);
        call.Agent = null;
        agent.Call = null;
        RemoveCall(call);
        _out.Add(new CallCompleted(call.InteractionId, q.Name, agent.Id, call.ConnectedAt - call.EnteredQueueAt, talk));
        if (agent.LogoutPending)
        {
            LogOut(agent);
        }
        else if (q.Config.WrapUp > TimeSpan.Zero || (q.Config.DispositionRequired && !call.Dispositioned))
        {
            agent.WrapUpUntil = _now + q.Config.WrapUp;
            agent.DispositionPending = q.Config.DispositionRequired && !call.Dispositioned;
            agent.WrapUpInteraction = call.InteractionId;
            agent.WrapUpQueue = q.Name;
            SetAgent(agent, AgentState.WrapUp);
        }
        else
        {
            LeaveWork(agent);
        }
    }

    /// <summary>A disposition for the agent's call: noted during the call, or ends a wrap-up that waited for it.</summary>
    private void OnDispositionSet(DispositionSet c)
    {
        if (!_agents.TryGetValue(c.Agent, out var agent))
        {
            Ignore(c, "unknown agent");
            return;
        }
        if (agent.State == AgentState.OnCall && agent.Call!.InteractionId == c.InteractionId)
        {
            agent.Call.Dispositioned = true;
        }
        else if (agent.State == AgentState.WrapUp && agent.WrapUpInteraction == c.InteractionId)
        {
            agent.DispositionPending = false;
            if (agent.WrapUpUntil <= _now)
            {
                LeaveWork(agent);
            }
        }
        else
        {
            Ignore(c, "not the agent's current call or wrap-up");
        }
    }

    /// <summary>End of after-call work: a pending pause applies, otherwise the agent is available (idle from now).</summary>
    private void LeaveWork(QueueAgent agent)
    {
        agent.DispositionPending = false;
        agent.WrapUpInteraction = null;
        agent.WrapUpQueue = null;
        if (agent.PendingPauseReason is { } reason)
        {
            agent.PendingPauseReason = null;
            agent.PauseReason = reason;
            SetAgent(agent, AgentState.Paused);
        }
        else
        {
            agent.IdleSince = _now;
            SetAgent(agent, AgentState.Available);
        }
    }

    /// <summary>Ends one ringing leg: cancels it (unless the phone already reported its end), optionally marks the agent
    /// as skipped, and moves the agent to <paramref name="agentTo"/>.</summary>
    private void EndLeg(RingLeg leg, CancelReason? reason, bool markSkip, AgentState agentTo)
    {
        var gated = _gatedOffers.Contains(leg.OfferId);
        RemoveLeg(leg);
        if (gated)
        {
            _gate!.Released(leg.Call.InteractionId, leg.Agent.Id);
        }
        if (reason is { } r)
        {
            _out.Add(new CancelRing(leg.OfferId, leg.Call.InteractionId, leg.Agent.Id, r));
        }
        var skip = leg.Call.Queue.Config.NoAnswerSkip;
        if (markSkip && skip > TimeSpan.Zero && agentTo == AgentState.Available)
        {
            leg.Agent.SkipUntil = _now + skip;
        }
        SetAgent(leg.Agent, agentTo);
    }

    private void RemoveLeg(RingLeg leg)
    {
        _offers.Remove(leg.OfferId);
        _gatedOffers.Remove(leg.OfferId);
        RememberEndedOffer(leg.OfferId, leg.Agent.Id);
        leg.Call.Legs.Remove(leg);
        leg.Agent.Offer = null;
    }

    /// <summary>An offering call whose last leg ended goes back to waiting (or overflows if its max wait passed).</summary>
    private void AfterLegRemoved(QueueCall call)
    {
        if (call.State != CallState.Offering || call.Legs.Count > 0)
        {
            return;
        }
        call.RingDeadline = null;
        SetCall(call, CallState.Waiting);
        if (call.OverflowDue)
        {
            Overflow(call);
        }
    }

    private void Overflow(QueueCall call)
    {
        var from = call.Queue;
        var target = call.OwnMaxWait is null ? from.Config.Overflow : OverflowTarget.ToApplication;
        var waited = _now - call.EnteredQueueAt;
        call.OverflowDue = false;
        if (target.Kind == OverflowKind.Queue)
        {
            if (FindQueue(target.Target!) is { Retired: false } to && call.Hops < MaxOverflowHops && to != from)
            {
                SetCall(call, CallState.Waiting);
                from.Calls.Remove(call);
                DropIfRetiredAndEmpty(from);
                to.Calls.Add(call);
                call.Queue = to;
                call.EnteredQueueAt = _now;
                call.LastAnnounceAt = _now;
                call.Hops++;
                _out.Add(new CallOverflowed(call.InteractionId, from.Name, target, waited));
                return;
            }
            target = OverflowTarget.HangUp;
        }
        SetCall(call, CallState.Overflowed);
        RemoveCall(call);
        _out.Add(new CallOverflowed(call.InteractionId, from.Name, target, waited));
        _logger.LogInformation("Interaction {InteractionId} overflowed {Queue} to {Target} after {Waited}", call.InteractionId, from.Name, target, waited);
    }

    private void RemoveCall(QueueCall call)
    {
        _calls.Remove(call.InteractionId);
        call.Queue.Calls.Remove(call);
        DropIfRetiredAndEmpty(call.Queue);
    }

    /// <summary>Remembers which agent a finished offer rang, so a late answer can be released by agent (bounded).</summary>
    private void RememberEndedOffer(long offerId, string agent)
    {
        _endedOffers[offerId] = agent;
        _endedOfferOrder.Enqueue(offerId);
        while (_endedOfferOrder.Count > EndedOffersRemembered)
        {
            _endedOffers.Remove(_endedOfferOrder.Dequeue());
        }
    }
}
