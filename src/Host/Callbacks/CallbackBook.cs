using Telephony.Pbx.Calls;

namespace Telephony.Host.Callbacks;

/// <summary>The call layer's <see cref="ICallbackBook"/> port in the host: records in the <see cref="CallbackLedger"/>,
/// opening hours from <see cref="CallbackHours"/>.</summary>
public sealed class CallbackBook(CallbackLedger ledger, CallbackHours hours) : ICallbackBook
{
    private readonly CallbackHours _hours = hours;

    public Task SaveAsync(CallbackTicket ticket, bool requested, CancellationToken cancellationToken = default) =>
        ledger.SaveAsync(ticket, requested, cancellationToken);

    public Task<bool> BeginAttemptAsync(CallbackTicket ticket, int attempt, string callId, string agent, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        ledger.BeginAttemptAsync(ticket, attempt, callId, agent, at, cancellationToken);

    public Task EndAttemptAsync(CallbackTicket ticket, int attempt, CallbackAttemptResult result, DateTimeOffset at, DateTimeOffset? retryAt,
        CancellationToken cancellationToken = default) =>
        ledger.EndAttemptAsync(ticket, attempt, result, at, retryAt, cancellationToken);

    public Task CloseAsync(CallbackTicket ticket, CallbackStatus status, string detail, DateTimeOffset at, string? callId = null,
        string? agent = null, CancellationToken cancellationToken = default) =>
        ledger.CloseAsync(ticket, status, detail, at, callId, agent, cancellationToken);

    public DateTimeOffset? NextOpening(string hours, DateTimeOffset at) => _hours.NextOpening(hours, at);
}
