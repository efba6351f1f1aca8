using Microsoft.Extensions.Logging;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Pbx.Queues;

// Callback entries (README, "Callbacks"): a place in line without a caller on it. They are ordered, offered and
// connected like callers; what differs is how they enter (queued with their original arrival, or a caller becoming
// one in place), when they are due (NotBefore), and how they leave (completed, deferred, cancelled, expired).
public sealed partial class QueueScheduler
{
    private void OnCallbackQueued(CallbackQueued c)
    {
        if (_calls.ContainsKey(c.CallbackId))
        {
            _out.Add(new CallRejected(c.CallbackId, c.Queue, "interaction is already in a queue"));
            return;
        }
        if (FindQueue(c.Queue) is not { Retired: false } q)
        {
            _out.Add(new CallRejected(c.CallbackId, c.Queue, $"no queue named '{c.Queue}'"));
            return;
        }
        var arrived = c.ArrivedAt > _now ? _now : c.ArrivedAt;
        var call = new QueueCall(c.CallbackId, ++_nextSequence)
        {
            Queue = q,
            Kind = QueueEntryKind.Callback,
            BasePriority = c.BasePriority,
            Tags = c.Tags ?? [],
            Data = c.Data ?? new Dictionary<string, string>(),
            ArrivedAt = arrived,
            EnteredQueueAt = arrived,
            LastAnnounceAt = _now,
            NotBefore = c.NotBefore,
            Deadline = c.Deadline,
        };
        _calls.Add(call.InteractionId, call);
        q.Calls.Add(call);
        Accepted(call, fromInteraction: null, waited: _now - arrived);
        _logger.LogDebug("Callback {CallbackId} queued in {Queue} with priority {Priority}, arrived {Arrived}",
            call.InteractionId, q.Name, c.BasePriority, arrived);
    }

    private void OnCallerChoseCallback(CallerChoseCallback c)
    {
        if (!_calls.TryGetValue(c.InteractionId, out var caller) || caller.Kind != QueueEntryKind.Caller
            || caller.State is not (CallState.Waiting or CallState.Offering))
        {
            Ignore(c, "no waiting or ringing caller with this interaction");
            return;
        }
        if (_calls.ContainsKey(c.CallbackId))
        {
            Ignore(c, "the callback id is already in a queue");
            return;
        }
        foreach (var leg in caller.Legs.ToList())
        {
            EndLeg(leg, CancelReason.Withdrawn, markSkip: false, AgentState.Available);
        }
        caller.RingDeadline = null;
        caller.OverflowDue = false;
        if (caller.State == CallState.Offering)
        {
            SetCall(caller, CallState.Waiting);
        }
        var data = new Dictionary<string, string>(caller.Data, StringComparer.Ordinal);
        foreach (var (key, value) in c.Data ?? new Dictionary<string, string>())
        {
            data[key] = value;
        }
        // Same sequence, arrival, queue and priority: the callback stands exactly where the caller stood.
        var callback = new QueueCall(c.CallbackId, caller.Sequence)
        {
            Queue = caller.Queue,
            Kind = QueueEntryKind.Callback,
            BasePriority = caller.BasePriority,
            Tags = caller.Tags,
            Data = data,
            ArrivedAt = caller.ArrivedAt,
            EnteredQueueAt = caller.EnteredQueueAt,
            LastAnnounceAt = caller.LastAnnounceAt,
            NotBefore = c.NotBefore,
            Deadline = c.Deadline,
        };
        callback.Hops = caller.Hops;
        SetCall(caller, CallState.Waiting); // Waiting -> Waiting: the entry changes kind in place
        var list = caller.Queue.Calls;
        list[list.IndexOf(caller)] = callback;
        _calls.Remove(caller.InteractionId);
        _calls.Add(callback.InteractionId, callback);
        Accepted(callback, caller.InteractionId, _now - caller.EnteredQueueAt);
        _logger.LogInformation("Interaction {InteractionId} chose callback {CallbackId} in {Queue} after {Waited}, keeping its place",
            caller.InteractionId, callback.InteractionId, callback.Queue.Name, _now - caller.EnteredQueueAt);
    }

    private void OnCallbackDeferred(CallbackDeferred c)
    {
        if (!_calls.TryGetValue(c.CallbackId, out var call) || call.Kind != QueueEntryKind.Callback)
        {
            Ignore(c, "no such callback in a queue");
            return;
        }
        ReleaseCallback(call);
        SetCall(call, CallState.Waiting); // from Offering, Connected, or Waiting (re-timed in place)
        call.NotBefore = c.NotBefore;
    }

    private void OnCallbackCancelled(CallbackCancelled c)
    {
        if (!_calls.TryGetValue(c.CallbackId, out var call) || call.Kind != QueueEntryKind.Callback)
        {
            Ignore(c, "no such callback in a queue");
            return;
        }
        Withdraw(call, CallbackRemovalReason.Cancelled, c.Reason);
    }

    /// <summary>Takes a callback out of the line: cancels its ringing legs, releases its agent, emits
    /// <see cref="CallbackRemoved"/>.</summary>
    private void Withdraw(QueueCall call, CallbackRemovalReason reason, string detail)
    {
        ReleaseCallback(call);
        SetCall(call, CallState.Withdrawn);
        RemoveCall(call);
        _out.Add(new CallbackRemoved(call.InteractionId, call.Queue.Name, reason, detail));
        _logger.LogInformation("Callback {CallbackId} left {Queue}: {Reason} ({Detail})", call.InteractionId, call.Queue.Name, reason, detail);
    }

    /// <summary>Cancels a callback's ringing legs, or releases the agent reserved for it (no wrap-up: no conversation
    /// took place). The call stays in its state; the caller moves it on.</summary>
    private void ReleaseCallback(QueueCall call)
    {
        foreach (var leg in call.Legs.ToList())
        {
            EndLeg(leg, CancelReason.Withdrawn, markSkip: false, AgentState.Available);
        }
        call.RingDeadline = null;
        if (call.State == CallState.Connected && call.Agent is { } agent)
        {
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
        }
    }

    private void Accepted(QueueCall callback, string? fromInteraction, TimeSpan waited)
    {
        var position = PositionOf(callback);
        _out.Add(new CallbackAccepted(callback.InteractionId, callback.Queue.Name, callback.ArrivedAt, position,
            EstimateWait(callback.Queue, position), fromInteraction, waited));
    }
}
