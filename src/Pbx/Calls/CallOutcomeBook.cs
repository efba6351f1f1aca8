using Microsoft.Extensions.Logging;
using Telephony.Pbx.Contracts;

namespace Telephony.Pbx.Calls;

/// <summary>
/// What an <see cref="ApplicationCall"/>'s record will say: the outcome so far (<see cref="CallOutcomes.Advance"/>: a call
/// that reached a person stays answered), when a person was first bridged (talk time counts from there), and the
/// application's progress and queue events handed to the <see cref="ICallObserver"/>. Safe from any thread.
/// </summary>
internal sealed class CallOutcomeBook(ApplicationCall call)
{
    private readonly Lock _gate = new();
    private CallOutcome? _progress;
    private DateTimeOffset? _connectedAt;
    private DateTimeOffset? _disconnectedAt;

    public CallOutcome? Progress
    {
        get
        {
            lock (_gate)
            {
                return _progress;
            }
        }
    }

    public DateTimeOffset? ConnectedAt
    {
        get
        {
            lock (_gate)
            {
                return _connectedAt;
            }
        }
    }

    /// <summary>When the person bridged to the caller left while the caller stayed (talk time ends there), or null.</summary>
    public DateTimeOffset? DisconnectedAt
    {
        get
        {
            lock (_gate)
            {
                return _disconnectedAt;
            }
        }
    }

    /// <summary>The person hung up first and the caller stays on the server (a post-call survey): talk time ends now.</summary>
    public void MarkDisconnected()
    {
        lock (_gate)
        {
            _disconnectedAt ??= call.Context.Time.GetUtcNow();
        }
    }

    /// <summary>Moves the outcome to <paramref name="outcome"/> (with <paramref name="onlyFrom"/> only while the call stands
    /// there) and names it on the call for its record. True when it changed.</summary>
    public bool Advance(CallOutcome outcome, CallOutcome? onlyFrom)
    {
        lock (_gate)
        {
            var next = CallOutcomes.Advance(_progress, outcome, onlyFrom);
            if (next == _progress)
            {
                return false;
            }
            _progress = next;
            call.Outcome = next;
            return true;
        }
    }

    /// <summary>A person was bridged to the caller: answered, talk time from the first time.</summary>
    public void MarkConnected()
    {
        lock (_gate)
        {
            _connectedAt ??= call.Context.Time.GetUtcNow();
        }
        Advance(CallOutcome.Answered, null);
    }

    public void Report(ApplicationProgress progress) =>
        Notify(o => o.OnApplicationProgress(call, progress), "application progress");

    public void Report(QueueCallEvent e) => Notify(o => o.OnQueueEvent(call, e), "queue event " + e.Kind);

    private void Notify(Action<ICallObserver> action, string what)
    {
        try
        {
            action(call.Context.Observer);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            call.CallLogger.LogError(ex, "Call {CallId}: call observer failed on {What}", call.Id, what);
        }
    }
}
