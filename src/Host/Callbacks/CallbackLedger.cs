using System.Text.Json;
using Telephony.Host.Recording;
using Telephony.Pbx.Calls;
using Telephony.Recording.Storage;

namespace Telephony.Host.Callbacks;

/// <summary>
/// Callbacks on record: the <see cref="CallbackStore"/> (schema 7) plus what follows from each change: the event log
/// (<c>callback.requested</c>, <c>callback.attempt</c>, <c>callback.completed</c>, <c>callback.failed</c>,
/// <c>callback.cancelled</c>) and the alerts <c>callback_requested</c>, <c>callback_completed</c> and
/// <c>callback_failed</c> (webhooks through the outbox, once each), through the <see cref="CallRecorder"/>. Writes that
/// the call layer acts on (a new callback, an attempt about to call the customer) are awaited and committed first.
/// </summary>
public sealed class CallbackLedger(Database database, CallRecorder recorder)
{
    /// <summary>The tables (queries of the HTTP API, start-up recovery).</summary>
    public CallbackStore Store { get; } = new(database);

    /// <inheritdoc cref="ICallbackBook.SaveAsync"/>
    public async Task SaveAsync(CallbackTicket ticket, bool requested, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var inserted = await Store.SaveAsync(ToRecord(ticket), ownVisit: ticket.Source != "queue", cancellationToken).ConfigureAwait(false);
        if (requested && inserted)
        {
            recorder.OnCallbackEvent(EventTypes.CallbackRequested, AlertKinds.CallbackRequested, ticket.OriginalCallId, ticket.Number,
                Payload(ticket, CallbackStatus.Pending), ticket.RequestedAt);
        }
    }

    /// <inheritdoc cref="ICallbackBook.BeginAttemptAsync"/>
    public async Task<bool> BeginAttemptAsync(CallbackTicket ticket, int attempt, string callId, string agent, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (!await Store.BeginAttemptAsync(ticket.Id, attempt, callId, agent, at, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        var payload = Payload(ticket, CallbackStatus.Pending);
        payload["attempt"] = attempt;
        payload["callId"] = callId;
        payload["agent"] = agent;
        payload["state"] = "dialing";
        recorder.OnCallbackEvent(EventTypes.CallbackAttempt, null, callId, ticket.Number, payload, at);
        return true;
    }

    /// <inheritdoc cref="ICallbackBook.EndAttemptAsync"/>
    public async Task EndAttemptAsync(CallbackTicket ticket, int attempt, CallbackAttemptResult result, DateTimeOffset at,
        DateTimeOffset? retryAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        await Store.EndAttemptAsync(ticket.Id, attempt, result.ToString(), counted: result != CallbackAttemptResult.NotDialed, at, retryAt,
            cancellationToken).ConfigureAwait(false);
        var payload = Payload(ticket, CallbackStatus.Pending);
        payload["attempt"] = attempt;
        payload["state"] = "ended";
        payload["result"] = result.ToString();
        payload["retryAt"] = retryAt;
        recorder.OnCallbackEvent(EventTypes.CallbackAttempt, null, null, ticket.Number, payload, at);
    }

    /// <inheritdoc cref="ICallbackBook.CloseAsync"/>
    public async Task CloseAsync(CallbackTicket ticket, CallbackStatus status, string detail, DateTimeOffset at, string? callId = null,
        string? agent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (!await Store.CloseAsync(ticket.Id, status.ToString(), detail, at, callId, agent, cancellationToken).ConfigureAwait(false))
        {
            return; // already closed: one event, one alert
        }
        var payload = Payload(ticket, status);
        payload["detail"] = detail;
        payload["callId"] = callId;
        payload["agent"] = agent;
        payload["closedAt"] = at;
        var (type, alert) = status switch
        {
            CallbackStatus.Completed => (EventTypes.CallbackCompleted, AlertKinds.CallbackCompleted),
            CallbackStatus.Failed or CallbackStatus.Expired => (EventTypes.CallbackFailed, AlertKinds.CallbackFailed),
            _ => (EventTypes.CallbackCancelled, (string?)null),
        };
        recorder.OnCallbackEvent(type, alert, callId ?? ticket.OriginalCallId, ticket.Number, payload, at);
    }

    /// <summary>The ticket of a stored callback (to put it back in line after a restart).</summary>
    public static CallbackTicket ToTicket(CallbackRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new CallbackTicket
        {
            Id = record.Id,
            Queue = record.Queue,
            Number = record.Number,
            Name = record.Name,
            Note = record.Note,
            Priority = record.Priority,
            ArrivedAt = record.ArrivedAt,
            RequestedAt = record.RequestedAt,
            NotBefore = Later(record.NotBefore, record.NextAttemptAt),
            Deadline = record.Deadline,
            Source = record.Source,
            RequestedBy = record.RequestedBy,
            SourceAddress = record.SourceAddress,
            OriginalCallId = record.OriginalCallId,
            CallerId = record.CallerId,
            Attempts = record.Attempts,
            Tags = JsonSerializer.Deserialize<List<string>>(record.Tags) ?? [],
            Data = JsonSerializer.Deserialize<Dictionary<string, string>>(record.Data) ?? [],
        };
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static CallbackRecord ToRecord(CallbackTicket t) => new()
    {
        Id = t.Id,
        Queue = t.Queue,
        Number = t.Number,
        Name = t.Name,
        Note = t.Note,
        Priority = t.Priority,
        ArrivedAt = t.ArrivedAt,
        RequestedAt = t.RequestedAt,
        NotBefore = t.NotBefore,
        Deadline = t.Deadline,
        Source = t.Source,
        RequestedBy = t.RequestedBy,
        SourceAddress = t.SourceAddress,
        OriginalCallId = t.OriginalCallId,
        CallerId = t.CallerId,
        Attempts = t.Attempts,
        Tags = JsonSerializer.Serialize(t.Tags),
        Data = JsonSerializer.Serialize(t.Data),
        VisitCallId = t.Source == "queue" ? t.OriginalCallId : null,
    };

    /// <summary>The event and alert body: which callback, for whom, where it stands.</summary>
    private static Dictionary<string, object?> Payload(CallbackTicket t, CallbackStatus status) => new()
    {
        ["callbackId"] = t.Id,
        ["queue"] = t.Queue,
        ["number"] = t.Number,
        ["name"] = t.Name,
        ["note"] = t.Note,
        ["source"] = t.Source,
        ["requestedBy"] = t.RequestedBy,
        ["originalCallId"] = t.OriginalCallId,
        ["requestedAt"] = t.RequestedAt,
        ["arrivedAt"] = t.ArrivedAt,
        ["notBefore"] = t.NotBefore,
        ["deadline"] = t.Deadline,
        ["status"] = status.ToString(),
        ["attempts"] = t.Attempts,
    };
}
