using System.Globalization;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Media;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Calls;

// The one consumer of the scheduler's actions.
public sealed partial class QueueCallCoordinator
{
    private async Task ConsumeAsync()
    {
        try
        {
            await foreach (var action in Scheduler.Actions.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    Execute(action);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _logger.LogError(ex, "Queue action {Action} failed", action);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void Execute(QueueAction action)
    {
        if (Callbacks?.TryExecute(action) == true)
        {
            return;
        }
        switch (action)
        {
            case RingAgent ring:
                Ring(ring);
                break;
            case CancelRing cancel:
                if (_offers.TryRemove(cancel.OfferId, out var cancelled))
                {
                    _logger.LogInformation("Queue: cancel ring of {Agent} for {Interaction} ({Reason})",
                        cancel.Agent, cancel.InteractionId, cancel.Reason);
                    if (NoAnswerOnCancel(cancel.Reason, cancelled.Waiter.Queue, cancel.Agent, Now) is { } noAnswer)
                    {
                        Report(cancelled.Waiter, noAnswer);
                    }
                    cancelled.Waiter.Call.CancelRing(cancelled.Leg);
                }
                break;
            case BridgeCallToAgent bridge:
                if (_offers.TryRemove(bridge.OfferId, out var answered))
                {
                    answered.Waiter.Connected = true;
                    answered.Waiter.Queue = bridge.Queue;
                    answered.Waiter.Confirming?.Abort(); // an agent took the call while the caller keyed a callback number
                    answered.Waiter.Call.Bridge(answered.Leg);
                    RememberAgentCall(answered.Waiter, bridge.Agent, bridge.Queue);
                    ReportAnswered(answered.Waiter, bridge.Agent, answered.Leg.AnsweredAt);
                    answered.Waiter.Outcome.TrySetResult(QueueEntryOutcome.Answered);
                    _logger.LogInformation("Queue {Queue}: {Interaction} connected to agent {Agent}",
                        bridge.Queue, bridge.InteractionId, bridge.Agent);
                }
                break;
            case ReleaseAgentLeg release:
                if (_offers.TryRemove(release.OfferId, out var late))
                {
                    late.Waiter.Call.Release(late.Leg);
                }
                break;
            case AnnouncePosition announce:
                Announce(announce);
                break;
            case CallOverflowed overflow:
                Overflow(overflow);
                break;
            case CallRejected rejected:
                if (_waiters.TryGetValue(rejected.InteractionId, out var refused))
                {
                    refused.InScheduler = false;
                    _waiters.TryRemove(new KeyValuePair<string, Waiter>(rejected.InteractionId, refused));
                    refused.Call.SetProgress(CallOutcome.NoAgent);
                    refused.Call.StopHold();
                    refused.Outcome.TrySetResult(QueueEntryOutcome.Rejected);
                }
                _logger.LogWarning("Queue {Queue}: {Interaction} rejected: {Reason}", rejected.Queue, rejected.InteractionId, rejected.Reason);
                break;
            case CallAbandoned abandoned:
                Interlocked.Increment(ref _abandoned);
                _logger.LogInformation("Queue {Queue}: call abandoned: {Interaction} hung up after {Waited:F1} s at position {Position}",
                    abandoned.Queue, abandoned.InteractionId, abandoned.Waited.TotalSeconds, abandoned.Position);
                break;
            case CallCompleted completed:
                Interlocked.Increment(ref _completed);
                _logger.LogInformation("Queue {Queue}: {Interaction} completed with {Agent}: waited {Waited:F1} s, talked {Talk:F1} s",
                    completed.Queue, completed.InteractionId, completed.Agent, completed.Waited.TotalSeconds, completed.TalkTime.TotalSeconds);
                break;
            case AgentStateChanged state:
                TrackAgent(state);
                _logger.LogInformation("Agent {Agent}: {From} -> {To}{Reason}", state.Agent, state.From, state.To,
                    state.PauseReason is null ? "" : " (" + state.PauseReason + ")");
                break;
            case CommandIgnored ignored:
                _logger.LogDebug("Queue command ignored: {Command}: {Reason}", ignored.Command, ignored.Reason);
                break;
        }
    }

    private void Ring(RingAgent ring)
    {
        if (!_waiters.TryGetValue(ring.InteractionId, out var waiter) || waiter.Call.IsEnded)
        {
            Scheduler.Post(new AgentRingResult(ring.OfferId, RingOutcome.Rejected));
            return;
        }
        var headers = InteractionHeaders(ring.InteractionId, ring.Queue, ring.BasePriority, ring.Tags, ring.Data);
        var leg = waiter.Call.RingAgent(ring.Agent, headers);
        _offers[ring.OfferId] = (waiter, leg);
        Report(waiter, new QueueCallEvent(QueueEventKind.AgentRung, ring.Queue, Now, ring.Agent, ring.BasePriority));
        _logger.LogInformation("Queue {Queue}: ringing agent {Agent} for {Interaction} (offer {Offer})",
            ring.Queue, ring.Agent, ring.InteractionId, ring.OfferId);
        _ = leg.Outcome.ContinueWith(t =>
        {
            // After CancelRing the offer is gone and no result is expected; a late answer is released by the scheduler.
            if (_offers.ContainsKey(ring.OfferId) || t.Result == RingOutcome.Answered)
            {
                // A ring ended by the call ending (the caller hung up: the leg completes Rejected) is not the agent's doing.
                if (_offers.ContainsKey(ring.OfferId) && !waiter.Call.CallerHungUp && !waiter.Call.IsEnded &&
                    NoAnswerOnResult(t.Result, ring.Queue, ring.Agent, Now) is { } noAnswer)
                {
                    Report(waiter, noAnswer);
                }
                // Dated when the agent answered: the scheduler may process it after a ring timeout fell due.
                Scheduler.Post(new AgentRingResult(ring.OfferId, t.Result) { OccurredAt = leg.AnsweredAt });
            }
        }, TaskScheduler.Default);
    }

    private void Announce(AnnouncePosition announce)
    {
        if (!_waiters.TryGetValue(announce.InteractionId, out var waiter))
        {
            return;
        }
        var ids = new List<string> { "en/queue/you-are-caller-number" };
        ids.AddRange(Digits(announce.Position));
        if (announce.EstimatedWait is { } wait)
        {
            ids.Add("en/queue/your-estimated-wait-is");
            if (wait < TimeSpan.FromMinutes(1))
            {
                ids.Add("en/queue/less-than-a-minute");
            }
            else
            {
                ids.AddRange(Digits((int)Math.Ceiling(wait.TotalMinutes)));
                ids.Add("en/queue/minutes");
            }
        }
        if (waiter.Confirming is not null)
        {
            return; // the caller is keying a callback number
        }
        ids.AddRange(CallbackOffer(waiter));
        var clips = ids.Select(Prompt).OfType<AudioClip>().ToList();
        _logger.LogInformation("Queue {Queue}: {Interaction} is caller number {Position}, estimated wait {Wait}",
            announce.Queue, announce.InteractionId, announce.Position, announce.EstimatedWait?.ToString() ?? "unknown");
        _ = waiter.Call.PlayAsync(clips);

        static IEnumerable<string> Digits(int n) =>
            n.ToString(CultureInfo.InvariantCulture).Select(c => "en/queue/digit-" + c);
    }

    private void Overflow(CallOverflowed overflow)
    {
        Interlocked.Increment(ref _overflowed);
        _logger.LogInformation("Queue {Queue}: {Interaction} overflowed after {Waited:F1} s to {Kind} {Target}",
            overflow.FromQueue, overflow.InteractionId, overflow.Waited.TotalSeconds, overflow.Target.Kind, overflow.Target.Target);
        if (!_waiters.TryGetValue(overflow.InteractionId, out var waiter))
        {
            return;
        }
        Report(waiter, new QueueCallEvent(QueueEventKind.Overflowed, overflow.FromQueue, Now, Priority: waiter.Entry.Priority,
            Wait: overflow.Waited, Detail: OverflowDetail(overflow.Target)));
        if (overflow.Target.Kind == OverflowKind.Queue)
        {
            waiter.Queue = overflow.Target.Target ?? waiter.Queue;
            ReportEntered(waiter);
            return; // the scheduler moved the caller; hold audio continues
        }
        waiter.InScheduler = false;
        // Out of the queues: the application may enqueue the caller again (an IVR overflow path to another queue).
        _waiters.TryRemove(new KeyValuePair<string, Waiter>(overflow.InteractionId, waiter));
        waiter.Call.SetProgress(CallOutcomes.OfOverflow(AnyAgentLoggedIn(overflow.FromQueue)));
        waiter.Call.StopHold();
        if (waiter.Entry.HasOverflow || overflow.Target.Kind == OverflowKind.Application)
        {
            waiter.Outcome.TrySetResult(QueueEntryOutcome.Overflow);
            return;
        }
        // No overflow path in the application: execute the queue's target; the application learns the end from the call.
        if (overflow.Target.Kind == OverflowKind.Transfer && overflow.Target.Target is { } target)
        {
            var call = waiter.Call;
            var headers = InteractionHeaders(call.InteractionId, null, waiter.Entry.Priority, waiter.Entry.Tags, waiter.Entry.Data);
            _ = call.ConnectAsync(target, headers, TimeSpan.FromSeconds(30)).ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully && t.Result)
                {
                    waiter.Outcome.TrySetResult(QueueEntryOutcome.Answered);
                }
                else
                {
                    call.Hangup("overflow transfer failed");
                }
            }, TaskScheduler.Default);
            return;
        }
        waiter.Call.Hangup(overflow.Target.Target is { } prompt ? Prompt(prompt) : null, "queue overflow");
    }
}
