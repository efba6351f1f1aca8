using System.Globalization;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Pbx.Calls;

// Blind transfer by the agent (REFER): to a queue (same interaction, same data) or to an extension.
public sealed partial class QueueCallCoordinator
{
    /// <summary>The queues always take transfers: to a queue by name, or to an extension.</summary>
    public bool AcceptsTransfers => true;

    /// <summary>
    /// <see cref="IAgentTransfers.BlindTransferAsync"/>: moves the caller that <paramref name="from"/> transferred to
    /// <paramref name="target"/>. A queue name enqueues the caller with the same interaction id, priority, tags and
    /// variables (202 then NOTIFY 200 once queued); anything else rings that extension with the interaction headers and
    /// bridges on answer (NOTIFY 200 on answer, else 480/486/408). On success the transferring agent's queue call
    /// ends in the scheduler (<see cref="AgentCallEnded"/>: wrap-up, then available).
    /// </summary>
    public async Task<int> BlindTransferAsync(ApplicationCall call, AgentLeg from, string target)
    {
        var (priority, tags, data) = InteractionFrom(from.Headers);
        var sourceQueue = _waiters.TryGetValue(call.InteractionId, out var source) && source.Connected ? source.Queue : null;
        if (Config.Find(target) is { } queue)
        {
            ReleaseAgent(call);
            ReportTransferred(call, sourceQueue, from.Agent, priority, "queue:" + queue.Name);
            var entry = new QueueEntry(queue.Name, priority, tags, data, HasOverflow: false);
            var outcome = EnqueueAsync(call, entry);
            if (outcome.IsCompleted && outcome.Result == QueueEntryOutcome.Rejected)
            {
                return 503;
            }
            _logger.LogInformation("Queue {Queue}: {Interaction} transferred in by agent {Agent}", queue.Name, call.InteractionId, from.Agent);
            return 200;
        }
        var headers = InteractionHeaders(call.InteractionId, null, priority, tags, data);
        var leg = call.RingAgent(target, headers);
        var first = await Task.WhenAny(leg.Outcome, Task.Delay(_transferRingTimeout, Clock)).ConfigureAwait(false);
        if (first != leg.Outcome)
        {
            call.CancelRing(leg);
            return 408;
        }
        var result = await leg.Outcome.ConfigureAwait(false);
        if (result != RingOutcome.Answered)
        {
            return result == RingOutcome.Busy ? 486 : 480;
        }
        if (call.IsEnded)
        {
            call.Release(leg);
            return 487;
        }
        call.Bridge(leg);
        ReleaseAgent(call);
        ReportTransferred(call, sourceQueue, from.Agent, priority, "extension:" + target);
        _logger.LogInformation("Transfer: {Interaction} connected to {Target} (from agent {Agent})", call.InteractionId, target, from.Agent);
        return 200;
    }

    /// <summary>
    /// A supervisor took the caller over from <paramref name="agent"/> (mode take over): the agent's queue call ends in
    /// the scheduler (wrap-up, then available) and the queue records a transfer to the supervisor.
    /// </summary>
    public void OnAgentTakenOver(ApplicationCall call, string agent, string supervisor)
    {
        var sourceQueue = _waiters.TryGetValue(call.InteractionId, out var source) && source.Connected ? source.Queue : null;
        var priority = source?.Entry.Priority ?? 0;
        ReleaseAgent(call);
        ReportTransferred(call, sourceQueue, agent, priority, "supervisor:" + supervisor);
        _logger.LogInformation("Take over: {Interaction} now with supervisor {Supervisor}; agent {Agent} released", call.InteractionId, supervisor, agent);
    }

    /// <summary>A transfer out of a queue call (none when the agent was reached without a queue, e.g. an IVR transfer).</summary>
    private void ReportTransferred(ApplicationCall call, string? sourceQueue, string agent, int priority, string detail)
    {
        if (sourceQueue is not null)
        {
            call.ReportQueueEvent(new QueueCallEvent(QueueEventKind.Transferred, sourceQueue, Now, agent, priority, Detail: detail));
        }
    }

    /// <summary>The transferring agent's queue call ends: the scheduler records it and starts their wrap-up.</summary>
    private void ReleaseAgent(ApplicationCall call)
    {
        if (_waiters.TryGetValue(call.InteractionId, out var waiter) && waiter.Connected && waiter.InScheduler)
        {
            waiter.InScheduler = false;
            _waiters.TryRemove(new KeyValuePair<string, Waiter>(call.InteractionId, waiter));
            Scheduler.Post(new AgentCallEnded(call.InteractionId));
        }
    }

    /// <summary>Priority, tags and variables back from the X-Telephony-* headers an agent leg was rung with
    /// (the inverse of <see cref="InteractionHeaders"/>).</summary>
    public static (int Priority, IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> Data) InteractionFrom(
        IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var priority = 0;
        IReadOnlyList<string> tags = [];
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        const string var = "X-Telephony-Var-";
        foreach (var (name, value) in headers)
        {
            if (name.Equals("X-Telephony-Priority", StringComparison.OrdinalIgnoreCase))
            {
                _ = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out priority);
            }
            else if (name.Equals("X-Telephony-Tags", StringComparison.OrdinalIgnoreCase))
            {
                tags = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
            else if (name.StartsWith(var, StringComparison.OrdinalIgnoreCase) && name.Length > var.Length)
            {
                data[name[var.Length..]] = value;
            }
        }
        return (priority, tags, data);
    }
}
