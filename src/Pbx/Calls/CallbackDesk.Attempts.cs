using System.Globalization;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Pbx.Calls;

// The attempts: the scheduler reserved an agent for a callback (RingAgent), the agent answered (BridgeCallToAgent),
// then the customer is called; the outcome completes, retries or fails the callback.
public sealed partial class CallbackDesk
{
    /// <summary>Runs the scheduler actions that concern callback entries; false for everything else (callers).</summary>
    internal bool TryExecute(QueueAction action)
    {
        switch (action)
        {
            case RingAgent { Kind: QueueEntryKind.Callback } ring:
                Ring(ring);
                return true;
            case CancelRing cancel when _offers.TryRemove(cancel.OfferId, out var cancelled):
                if (QueueCallCoordinator.NoAnswerOnCancel(cancel.Reason, cancelled.Ring.Queue, cancel.Agent, Now) is { } noAnswer)
                {
                    cancelled.Call.ReportQueueEvent(noAnswer);
                }
                cancelled.Call.Hangup($"agent ring cancelled ({cancel.Reason})");
                return true;
            case ReleaseAgentLeg release when _offers.TryRemove(release.OfferId, out var late):
                late.Call.Hangup("late answer released");
                return true;
            case BridgeCallToAgent bridge when _offers.TryRemove(bridge.OfferId, out var answered):
                _ = RunAttemptAsync(answered, bridge.Agent);
                return true;
            case CallbackRemoved removed:
                if (_entries.TryGetValue(removed.CallbackId, out var entry))
                {
                    _ = CloseOnceAsync(entry, removed.Reason == CallbackRemovalReason.Expired ? CallbackStatus.Expired : CallbackStatus.Cancelled,
                        removed.Reason == CallbackRemovalReason.Expired ? "not made before its deadline" : removed.Detail);
                }
                return true;
            case CallbackAccepted:
                return true;
            case CallRejected rejected when _entries.ContainsKey(rejected.InteractionId):
                return true;
            default:
                return false;
        }
    }

    private void Ring(RingAgent ring)
    {
        if (!_entries.TryGetValue(ring.InteractionId, out var entry) || entry.Closed != 0)
        {
            Scheduler.Post(new CallbackCancelled(ring.InteractionId, "not a pending callback"));
            return;
        }
        if (BuildDial(entry.Ticket, ring) is not { } dial)
        {
            Scheduler.Post(new CallbackCancelled(ring.InteractionId, "no outbound trunk"));
            _ = CloseOnceAsync(entry, CallbackStatus.Failed, "no outbound trunk to call the customer through");
            return;
        }
        var call = new CallbackCall(_originator.Context, dial);
        var offer = new Offer(entry, call, ring);
        _offers[ring.OfferId] = offer;
        entry.Active = call;
        _ = call.Ended.ContinueWith(_ =>
        {
            if (entry.Active == call)
            {
                entry.Active = null;
            }
        }, TaskScheduler.Default);
        if (!_originator.Originate(call))
        {
            _offers.TryRemove(ring.OfferId, out _);
            entry.Active = null;
            Scheduler.Post(new AgentRingResult(ring.OfferId, RingOutcome.Rejected));
            return;
        }
        call.ReportQueueEvent(new QueueCallEvent(QueueEventKind.AgentRung, ring.Queue, Now, ring.Agent, ring.BasePriority));
        _ = call.AgentOutcome.ContinueWith(t =>
        {
            // After CancelRing the offer is gone and no result is expected; a late answer is released by the scheduler.
            if (_offers.ContainsKey(ring.OfferId) || t.Result == RingOutcome.Answered)
            {
                if (_offers.ContainsKey(ring.OfferId) && QueueCallCoordinator.NoAnswerOnResult(t.Result, ring.Queue, ring.Agent, Now) is { } noAnswer)
                {
                    call.ReportQueueEvent(noAnswer);
                }
                Scheduler.Post(new AgentRingResult(ring.OfferId, t.Result));
            }
        }, TaskScheduler.Default);
    }

    private CallbackDial? BuildDial(CallbackTicket ticket, RingAgent ring)
    {
        var options = OptionsOf(ticket.Queue);
        var pbx = _originator.Context.Options;
        var trunk = options.Trunk is { } name ? pbx.FindTrunk(name) : pbx.Trunks.FirstOrDefault(t => t.Outbound is not null);
        if (trunk?.Outbound is null)
        {
            _logger.LogError("Callback {Callback}: queue {Queue} names trunk '{Trunk}', which has no outbound side in telephony.yaml",
                ticket.Id, ticket.Queue, options.Trunk ?? "(first outbound trunk)");
            return null;
        }
        var attempt = ticket.Attempts + 1;
        var wait = Now - ticket.ArrivedAt;
        var headers = new List<KeyValuePair<string, string>>(
            QueueCallCoordinator.InteractionHeaders(ticket.Id, ticket.Queue, ring.BasePriority, ring.Tags, ring.Data))
        {
            new("X-Telephony-Callback", ticket.Id),
            new("X-Telephony-Callback-Number", ticket.Number),
            new("X-Telephony-Callback-Attempt", attempt.ToString(CultureInfo.InvariantCulture)),
            new("X-Telephony-Original-Wait", ((long)Math.Max(0, wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture)),
        };
        if (ticket.OriginalCallId is { } original)
        {
            headers.Add(new("X-Telephony-Original-Call", original));
        }
        var callerId = ticket.CallerId ?? trunk.Dids.Keys.FirstOrDefault() ?? "anonymous";
        return new CallbackDial(ticket.Id, attempt, ticket.Queue, ring.Agent, ticket.Number, ticket.Name, trunk, callerId,
            options.CustomerRingTimeout, ticket.OriginalCallId, wait, headers, [new("X-Telephony-Callback", ticket.Id)]);
    }

    /// <summary>The agent answered and the scheduler reserved them: note the attempt, call the customer, then complete,
    /// retry (same place, after the retry delay, agent released) or fail the callback.</summary>
    private async Task RunAttemptAsync(Offer offer, string agent)
    {
        var (entry, call) = (offer.Entry, offer.Call);
        var id = entry.Ticket.Id;
        var attempt = call.Dial.Attempt;
        entry.Ticket = entry.Ticket with { Attempts = attempt };
        bool noted;
        try
        {
            noted = entry.Closed == 0 && await _book.BeginAttemptAsync(entry.Ticket, attempt, call.Id, agent, Now).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Never call a customer without a record of it: a restart could not know and would call again.
            _logger.LogError(ex, "Callback {Callback}: attempt {Attempt} could not be stored; the customer is not called", id, attempt);
            noted = false;
        }
        if (!noted)
        {
            entry.Ticket = entry.Ticket with { Attempts = attempt - 1 };
            call.Hangup("callback no longer pending");
            await call.Ended.ConfigureAwait(false);
            Scheduler.Post(entry.Closed == 0 ? new CallbackDeferred(id, Now + TimeSpan.FromSeconds(30)) : new CallbackCancelled(id, "no longer pending"));
            return;
        }
        call.ReportQueueEvent(new QueueCallEvent(QueueEventKind.Answered, offer.Ring.Queue, Now, agent, offer.Ring.BasePriority,
            Now - entry.Ticket.ArrivedAt, "callback:" + id));
        call.DialCustomer();
        var result = await call.CustomerResult.ConfigureAwait(false);
        if (result == CallbackAttemptResult.Answered)
        {
            await Record(() => _book.EndAttemptAsync(entry.Ticket, attempt, result, Now, null)).ConfigureAwait(false);
            await call.Ended.ConfigureAwait(false);
            Scheduler.Post(new AgentCallEnded(id)); // completed: the agent's wrap-up, the queue's handle time
            await CloseOnceAsync(entry, CallbackStatus.Completed, $"answered on attempt {attempt}", call.Id, agent).ConfigureAwait(false);
            return;
        }
        call.Hangup($"customer not reached ({result})"); // the agent is released
        await call.Ended.ConfigureAwait(false);
        if (result == CallbackAttemptResult.NotDialed)
        {
            entry.Ticket = entry.Ticket with { Attempts = attempt - 1 };
            await Record(() => _book.EndAttemptAsync(entry.Ticket, attempt, result, Now, Now)).ConfigureAwait(false);
            Scheduler.Post(new CallbackDeferred(id, Now)); // never called: back in line at once, same place
            return;
        }
        var options = OptionsOf(entry.Ticket.Queue);
        if (attempt < options.Attempts)
        {
            var retryAt = DueAt(options, Now + options.RetryDelay);
            if (entry.Ticket.Deadline is not { } deadline || retryAt <= deadline)
            {
                await Record(() => _book.EndAttemptAsync(entry.Ticket, attempt, result, Now, retryAt)).ConfigureAwait(false);
                Scheduler.Post(new CallbackDeferred(id, retryAt));
                _logger.LogInformation("Callback {Callback}: attempt {Attempt} of {Attempts} {Result}; next at {RetryAt:u}", id, attempt,
                    options.Attempts, result, retryAt);
                return;
            }
            await Record(() => _book.EndAttemptAsync(entry.Ticket, attempt, result, Now, null)).ConfigureAwait(false);
            await CloseOnceAsync(entry, CallbackStatus.Expired, $"attempt {attempt} {Describe(result)}; no further attempt before its deadline")
                .ConfigureAwait(false);
            Scheduler.Post(new CallbackCancelled(id, "deadline"));
            return;
        }
        await Record(() => _book.EndAttemptAsync(entry.Ticket, attempt, result, Now, null)).ConfigureAwait(false);
        await CloseOnceAsync(entry, CallbackStatus.Failed, $"not reached after {attempt} attempt(s); last: {Describe(result)}", call.Id, agent)
            .ConfigureAwait(false);
        Scheduler.Post(new CallbackCancelled(id, $"not reached after {attempt} attempt(s)"));
    }

    private static string Describe(CallbackAttemptResult result) => result switch
    {
        CallbackAttemptResult.Busy => "busy",
        CallbackAttemptResult.NoAnswer => "no answer",
        CallbackAttemptResult.AgentLeft => "the agent hung up",
        _ => "failed",
    };

    private async Task Record(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "Callback attempt could not be stored");
        }
    }
}
