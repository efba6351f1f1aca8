using System.Text.Json;
using Telephony.Host.Recording;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Queues.Configuration;
using Telephony.Recording.Storage;

namespace Telephony.Host.Dispositions;

/// <summary>
/// Disposition codes on calls: checks them against the list of the call's queue (<c>dispositions:</c> in queues.yaml),
/// stores them on the call record, in the <c>dispositions</c> history and as a <c>call.disposition</c> event, and tells the
/// queue scheduler (<see cref="QueueCallCoordinator.DispositionSet"/>) so an agent held in wrap-up by
/// <c>dispositionRequired</c> goes on. Set by HTTP (the codes replace the call's), by the agent's keypad during the call
/// (<c>*5N</c>: the N-th code is added) or dialed in wrap-up (<c>*5N</c> for the agent's last queue call).
/// </summary>
public sealed class DispositionService(Database database, EventNotifier notifier, TimeProvider time, ILogger<DispositionService> logger)
{
    private readonly DispositionStore _store = new(database);
    private readonly CallStore _calls = new(database);

    /// <summary>
    /// Sets <paramref name="codes"/> (replacing the call's, or with <paramref name="add"/> added to them) and
    /// <paramref name="note"/> (null keeps the current note when adding) on call <paramref name="callId"/>.
    /// <paramref name="queue"/> names the call's queue when the caller knows it better than the record (a live call).
    /// </summary>
    public async Task<DispositionOutcome> SetAsync(QueueCallCoordinator? queues, string callId, IReadOnlyList<string> codes, string? note,
        string setBy, string source, bool add = false, string? queue = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var record = await _calls.GetAsync(callId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return new DispositionOutcome(DispositionStatus.UnknownCall, null, null, []);
        }
        queue ??= record.Queue;
        var allowed = queue is null ? null : queues?.Config.Find(queue)?.Dispositions;
        if (allowed is null || allowed.Count == 0)
        {
            return new DispositionOutcome(DispositionStatus.NoCodes, null, queue, []);
        }
        if (codes.Count == 0 || codes.Any(c => !allowed.Contains(c, StringComparer.Ordinal)))
        {
            return new DispositionOutcome(DispositionStatus.InvalidCode, null, queue, allowed);
        }
        var current = add && record.Disposition is { Length: > 0 } existing ? existing.Split(',') : [];
        var final = current.Concat(codes).Distinct(StringComparer.Ordinal).ToList();
        var finalNote = note ?? (add ? record.DispositionNote : null);
        var at = time.GetUtcNow();
        var payload = JsonSerializer.Serialize(new
        {
            callId,
            caller = record.Caller,
            queue,
            agent = record.Agent,
            codes = final,
            note = finalNote,
            setBy,
            source,
        }, CallRecorder.JsonText);
        var entry = await _store.SetAsync(callId, queue, final, finalNote, setBy, source, at, payload, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return new DispositionOutcome(DispositionStatus.UnknownCall, null, queue, allowed);
        }
        notifier.Notify();
        logger.LogInformation("Call {CallId}: disposition {Codes} set by {By} ({Source})", callId, string.Join(",", final), setBy, source);
        if (queues is not null && record.Agent is { } agent && queues.LastCallOf(agent) is { } last && last.CallId == callId)
        {
            queues.DispositionSet(agent, last.InteractionId); // noted during the call, or ends a wrap-up held for it
        }
        return new DispositionOutcome(DispositionStatus.Set, entry, queue, allowed);
    }

    /// <summary>
    /// The agent's keypad chose the code at <paramref name="position"/> (1-based) of <paramref name="queue"/>'s list for
    /// call <paramref name="callId"/>: it is added to the call's codes. The queue is told even when the record is not written
    /// yet, so a required disposition counts at once.
    /// </summary>
    public async Task<DispositionOutcome> AddByKeypadAsync(QueueCallCoordinator queues, AgentQueueCall call, int position,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(call);
        var allowed = queues.Config.Find(call.Queue)?.Dispositions ?? [];
        if (allowed.Count == 0)
        {
            return new DispositionOutcome(DispositionStatus.NoCodes, null, call.Queue, []);
        }
        if (position < 1 || position > allowed.Count)
        {
            return new DispositionOutcome(DispositionStatus.InvalidCode, null, call.Queue, allowed);
        }
        var outcome = await SetAsync(queues, call.CallId, [allowed[position - 1]], null, call.Agent, "dtmf", add: true, call.Queue,
            cancellationToken).ConfigureAwait(false);
        if (outcome.Status == DispositionStatus.Set)
        {
            queues.DispositionSet(call.Agent, call.InteractionId); // also when the record does not name the agent yet
        }
        return outcome;
    }
}
