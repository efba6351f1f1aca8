using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Calls;

/// <summary>
/// The callbacks of the queues (<c>Calls/README.md</c>, "Callbacks"): takes requests (web, console, IVR node, a waiting
/// caller pressing the offer key) into the queue's line with their place kept (<see cref="CallbackQueued"/>,
/// <see cref="CallerChoseCallback"/>), and when the scheduler reserves an agent for one, runs the attempt as a
/// <see cref="CallbackCall"/>: agent first, then (once the attempt is on record in the <see cref="ICallbackBook"/>) the
/// customer through the trunk. Busy, no answer and failures are retried after the queue's <c>retrySeconds</c> with the
/// same place in line, until <c>attempts</c> are used up (the agent is released each time); a callback due while the
/// queue is closed waits for its opening; one past its deadline is withdrawn. The <see cref="QueueCallCoordinator"/> owns
/// it and routes the scheduler's actions for callback entries here.
/// </summary>
public sealed partial class CallbackDesk
{
    private readonly QueueCallCoordinator _queues;
    private readonly ICallOriginator _originator;
    private readonly ICallbackBook _book;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, Offer> _offers = new();

    internal CallbackDesk(QueueCallCoordinator queues, ICallOriginator originator, ICallbackBook book, ILogger logger)
    {
        _queues = queues;
        _originator = originator;
        _book = book;
        _logger = logger;
    }

    private QueueSchedulerService Scheduler => _queues.Scheduler;
    private DateTimeOffset Now => _queues.Clock.GetUtcNow();

    /// <summary>The callbacks in the queues' lines now (waiting, ringing an agent, or being attempted).</summary>
    public IReadOnlyList<CallbackTicket> Pending => [.. _entries.Values.Select(e => e.Ticket).OrderBy(t => t.ArrivedAt)];

    /// <summary>The pending callback <paramref name="id"/>, or null.</summary>
    public CallbackTicket? Find(string id) => _entries.TryGetValue(id, out var entry) ? entry.Ticket : null;

    /// <summary>True while an attempt of <paramref name="id"/> is under way (its agent rung or on the line).</summary>
    public bool IsAttempting(string id) => _entries.TryGetValue(id, out var entry) && entry.Active is not null;

    /// <summary>
    /// A new callback (web, console, an IVR <c>callback</c> node): saved (<c>callback_requested</c>), then put in line at
    /// <see cref="CallbackTicket.ArrivedAt"/>, due at its <see cref="CallbackTicket.NotBefore"/> or the queue's next
    /// opening. Refused when the queue is unknown or takes no callbacks, or when it could not be made before its deadline.
    /// </summary>
    public async Task<CallbackPlacement> RequestAsync(CallbackTicket ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (!TryGetOptions(ticket.Queue, out var options, out var refusal))
        {
            return refusal!;
        }
        var now = Now;
        ticket = ticket with { Deadline = ticket.Deadline ?? DeadlineOf(options, ticket.RequestedAt) };
        var due = DueAt(options, Later(ticket.NotBefore ?? now, now));
        if (ticket.Deadline is { } deadline && due > deadline)
        {
            return CallbackPlacement.Refused(409,
                $"it could not be made before its deadline {deadline:u}: the queue is closed until {due:u}");
        }
        await _book.SaveAsync(ticket, requested: true, cancellationToken).ConfigureAwait(false);
        return await QueueAsync(ticket, due, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A pending callback stored before a restart takes its original place again (not a new request: no alert). One whose
    /// deadline passed meanwhile is closed as expired; one whose queue no longer takes callbacks as cancelled.
    /// </summary>
    public async Task<CallbackPlacement> RestoreAsync(CallbackTicket ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var now = Now;
        if (!TryGetOptions(ticket.Queue, out var options, out var refusal))
        {
            await _book.CloseAsync(ticket, CallbackStatus.Cancelled, "after a restart: " + refusal!.Error, now, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return refusal;
        }
        if (ticket.Deadline is { } deadline && deadline <= now)
        {
            await _book.CloseAsync(ticket, CallbackStatus.Expired, $"not made before its deadline {deadline:u} (server was down)", now,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return CallbackPlacement.Refused(409, "deadline passed");
        }
        return await QueueAsync(ticket, DueAt(options, Later(ticket.NotBefore ?? now, now)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A waiting caller (<paramref name="interactionId"/>) confirmed a callback: saved first, then the caller's entry
    /// becomes the callback in place (same arrival and priority). Refused (409) when the caller is no longer waiting (an
    /// agent took the call meanwhile); the saved request is then closed as cancelled.
    /// </summary>
    internal async Task<CallbackPlacement> ConvertCallerAsync(string interactionId, CallbackTicket ticket, CancellationToken cancellationToken)
    {
        if (!TryGetOptions(ticket.Queue, out var options, out var refusal))
        {
            return refusal!;
        }
        var now = Now;
        ticket = ticket with { Deadline = ticket.Deadline ?? DeadlineOf(options, ticket.RequestedAt) };
        var due = DueAt(options, now);
        await _book.SaveAsync(ticket, requested: true, cancellationToken).ConfigureAwait(false);
        var entry = new Entry(ticket);
        _entries[ticket.Id] = entry;
        var actions = await Scheduler.SendAsync(new CallerChoseCallback(interactionId, ticket.Id, due > now ? due : null, ticket.Deadline,
            EntryData(ticket)), cancellationToken).ConfigureAwait(false);
        if (actions.OfType<CallbackAccepted>().FirstOrDefault() is { } accepted)
        {
            entry.Ticket = ticket with { ArrivedAt = accepted.ArrivedAt };
            await _book.SaveAsync(entry.Ticket, requested: false, cancellationToken).ConfigureAwait(false);
            return new CallbackPlacement(true, 202, null, entry.Ticket, accepted.Position, accepted.EstimatedWait, due);
        }
        await CloseOnceAsync(entry, CallbackStatus.Cancelled, "the caller was no longer waiting (an agent took the call)").ConfigureAwait(false);
        return CallbackPlacement.Refused(409, "the caller is no longer waiting");
    }

    /// <summary>Cancels pending callback <paramref name="id"/> (a supervisor or admin): it leaves the line. False when it is
    /// unknown, over, or an attempt is under way.</summary>
    public async Task<bool> CancelAsync(string id, string reason, CancellationToken cancellationToken = default)
    {
        if (!_entries.TryGetValue(id, out var entry) || entry.Active is not null)
        {
            return false;
        }
        var actions = await Scheduler.SendAsync(new CallbackCancelled(id, reason), cancellationToken).ConfigureAwait(false);
        if (!actions.OfType<CallbackRemoved>().Any())
        {
            return false;
        }
        await CloseOnceAsync(entry, CallbackStatus.Cancelled, reason).ConfigureAwait(false);
        return true;
    }

    private async Task<CallbackPlacement> QueueAsync(CallbackTicket ticket, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var entry = new Entry(ticket);
        if (!_entries.TryAdd(ticket.Id, entry))
        {
            return CallbackPlacement.Refused(409, $"callback {ticket.Id} is already in line");
        }
        var now = Now;
        var actions = await Scheduler.SendAsync(new CallbackQueued(ticket.Id, ticket.Queue, ticket.Priority, ticket.ArrivedAt,
            due > now ? due : null, ticket.Deadline, ticket.Tags, EntryData(ticket)), cancellationToken).ConfigureAwait(false);
        if (actions.OfType<CallbackAccepted>().FirstOrDefault() is { } accepted)
        {
            _logger.LogInformation("Callback {Callback} to {Number} in {Queue} ({Source}): position {Position}, due {Due:u}",
                ticket.Id, ticket.Number, ticket.Queue, ticket.Source, accepted.Position, Later(due, now));
            return new CallbackPlacement(true, 202, null, ticket, accepted.Position, accepted.EstimatedWait, Later(due, now));
        }
        var reason = actions.OfType<CallRejected>().FirstOrDefault()?.Reason ?? "the queue refused it";
        await CloseOnceAsync(entry, CallbackStatus.Cancelled, reason).ConfigureAwait(false);
        return CallbackPlacement.Refused(409, reason);
    }

    private bool TryGetOptions(string queue, out CallbackOptions options, out CallbackPlacement? refusal)
    {
        options = null!;
        if (_queues.Config.Find(queue) is not { } config)
        {
            refusal = CallbackPlacement.Refused(404, $"no queue named '{queue}'");
            return false;
        }
        if (config.Callback is not { } callback)
        {
            refusal = CallbackPlacement.Refused(409, $"queue '{queue}' takes no callbacks");
            return false;
        }
        options = callback;
        refusal = null;
        return true;
    }

    private CallbackOptions OptionsOf(string queue) => _queues.Config.Find(queue)?.Callback ?? new CallbackOptions();

    /// <summary>The first instant at or after <paramref name="at"/> a callback of a queue with <paramref name="options"/>
    /// may be made: the next opening when it waits for opening hours.</summary>
    private DateTimeOffset DueAt(CallbackOptions options, DateTimeOffset at) =>
        options is { Hours: { } hours, WaitForOpening: true } ? Later(_book.NextOpening(hours, at) ?? at, at) : at;

    private static DateTimeOffset? DeadlineOf(CallbackOptions options, DateTimeOffset requestedAt) =>
        options.Deadline > TimeSpan.Zero ? requestedAt + options.Deadline : null;

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The data the scheduler keeps with the entry (the screen pop): the ticket's, plus who to call.</summary>
    private static Dictionary<string, string> EntryData(CallbackTicket ticket)
    {
        var data = new Dictionary<string, string>(ticket.Data, StringComparer.Ordinal)
        {
            ["callback_id"] = ticket.Id,
            ["callback_number"] = ticket.Number,
        };
        if (ticket.Name is { Length: > 0 } name)
        {
            data["callback_name"] = name;
        }
        if (ticket.Note is { Length: > 0 } note)
        {
            data["callback_note"] = note;
        }
        if (ticket.OriginalCallId is { } original)
        {
            data["callback_of"] = original;
        }
        return data;
    }

    /// <summary>Closes <paramref name="entry"/> once (whoever gets there first: the attempt, a cancel, the deadline).</summary>
    private async Task CloseOnceAsync(Entry entry, CallbackStatus status, string detail, string? callId = null, string? agent = null)
    {
        if (Interlocked.Exchange(ref entry.Closed, 1) != 0)
        {
            return;
        }
        _entries.TryRemove(new KeyValuePair<string, Entry>(entry.Ticket.Id, entry));
        _logger.LogInformation("Callback {Callback} to {Number} in {Queue}: {Status} ({Detail})", entry.Ticket.Id, entry.Ticket.Number,
            entry.Ticket.Queue, status, detail);
        try
        {
            await _book.CloseAsync(entry.Ticket, status, detail, Now, callId, agent).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "Callback {Callback}: closing it as {Status} could not be stored", entry.Ticket.Id, status);
        }
    }

    /// <summary>A callback in line, with what the desk knows of it now.</summary>
    private sealed class Entry(CallbackTicket ticket)
    {
        /// <summary>1 once closed (completed, failed, expired, cancelled).</summary>
        public int Closed;
        public CallbackTicket Ticket { get; set; } = ticket;
        /// <summary>The attempt's call while its agent rings or it is under way.</summary>
        public volatile CallbackCall? Active;
    }

    private sealed record Offer(Entry Entry, CallbackCall Call, RingAgent Ring);
}
