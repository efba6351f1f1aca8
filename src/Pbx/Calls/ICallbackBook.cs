namespace Telephony.Pbx.Calls;

/// <summary>
/// The durable side of callbacks, implemented by the host over its database (the <see cref="CallbackDesk"/> calls it;
/// events, alerts and statistics follow from it there). What makes dispatch idempotent across a restart: a callback is
/// saved before it takes a place in line, and each attempt is noted (<see cref="BeginAttemptAsync"/>, committed) before
/// the customer's INVITE leaves, so a restart re-queues what was never dialed and never redials an attempt it cut.
/// </summary>
public interface ICallbackBook
{
    /// <summary>Stores a pending callback (or its exact place in line once the queue took it). With
    /// <paramref name="requested"/> this is the request itself (<c>callback_requested</c>).</summary>
    Task SaveAsync(CallbackTicket ticket, bool requested, CancellationToken cancellationToken = default);

    /// <summary>Attempt <paramref name="attempt"/> is about to call the customer, with <paramref name="agent"/> on
    /// <paramref name="callId"/>. False when the callback is no longer pending (cancelled meanwhile): do not call.</summary>
    Task<bool> BeginAttemptAsync(CallbackTicket ticket, int attempt, string callId, string agent, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>Attempt <paramref name="attempt"/> ended with <paramref name="result"/>; <paramref name="retryAt"/> when
    /// another attempt follows.</summary>
    Task EndAttemptAsync(CallbackTicket ticket, int attempt, CallbackAttemptResult result, DateTimeOffset at, DateTimeOffset? retryAt,
        CancellationToken cancellationToken = default);

    /// <summary>The callback is over: <see cref="CallbackStatus.Completed"/> (<c>callback_completed</c>),
    /// <see cref="CallbackStatus.Failed"/> or <see cref="CallbackStatus.Expired"/> (<c>callback_failed</c>), or
    /// <see cref="CallbackStatus.Cancelled"/>.</summary>
    Task CloseAsync(CallbackTicket ticket, CallbackStatus status, string detail, DateTimeOffset at, string? callId = null,
        string? agent = null, CancellationToken cancellationToken = default);

    /// <summary>The first instant at or after <paramref name="at"/> when the opening hours named
    /// <paramref name="hours"/> (a <c>schedule</c> node of the IVR) are open; null when they are unknown (then: open).</summary>
    DateTimeOffset? NextOpening(string hours, DateTimeOffset at);
}
