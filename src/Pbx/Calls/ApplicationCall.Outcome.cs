using Microsoft.Extensions.Logging;
using Telephony.Pbx.Contracts;

namespace Telephony.Pbx.Calls;

// What the call record will say: the outcome so far, when a person was reached, and the queue events.
public sealed partial class ApplicationCall
{
    private readonly Lock _outcomeGate = new();
    private CallOutcome? _progress;
    private DateTimeOffset? _connectedAt;

    /// <summary>The outcome the call gets if it ends now (null before the server answered the caller).</summary>
    public CallOutcome? Progress
    {
        get
        {
            lock (_outcomeGate)
            {
                return _progress;
            }
        }
    }

    /// <summary>When a person (agent or extension) was first bridged to the caller; talk time counts from here.</summary>
    public DateTimeOffset? ConnectedAt
    {
        get
        {
            lock (_outcomeGate)
            {
                return _connectedAt;
            }
        }
    }

    /// <summary>
    /// Moves the call's outcome to <paramref name="outcome"/> (see <see cref="CallOutcomes.Advance"/>: a call
    /// that reached a person stays answered; with <paramref name="onlyFrom"/> only while the call stands there). Sets
    /// <see cref="Call.Outcome"/> for the call record. True when the outcome changed. Safe from any thread.
    /// </summary>
    public bool SetProgress(CallOutcome outcome, CallOutcome? onlyFrom = null)
    {
        lock (_outcomeGate)
        {
            var next = CallOutcomes.Advance(_progress, outcome, onlyFrom);
            if (next == _progress)
            {
                return false;
            }
            _progress = next;
            Outcome = next;
            return true;
        }
    }

    /// <summary>Raised on the call's executor when the caller's BYE arrives, before the call is torn down (the queue
    /// records the abandon before the call record closes).</summary>
    internal event Action<ApplicationCall>? CallerLeaving;

    private void MarkConnected()
    {
        lock (_outcomeGate)
        {
            _connectedAt ??= DateTimeOffset.UtcNow;
        }
        SetProgress(CallOutcome.Answered);
    }

    private void RaiseCallerLeaving()
    {
        try
        {
            CallerLeaving?.Invoke(this);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Logger.LogError(e, "Call {CallId}: caller-leaving handler failed", Id);
        }
    }

    /// <summary>Hands the application's progress (IVR path, variables) to the <see cref="ICallObserver"/> for the call
    /// record; exceptions are logged, never thrown.</summary>
    public void ReportProgress(ApplicationProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        try
        {
            Context.Observer.OnApplicationProgress(this, progress);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Logger.LogError(ex, "Call {CallId}: call observer failed on application progress", Id);
        }
    }

    /// <summary>Hands a queue event to the <see cref="ICallObserver"/> (exceptions are logged, never thrown).</summary>
    internal void ReportQueueEvent(QueueCallEvent e)
    {
        try
        {
            Context.Observer.OnQueueEvent(this, e);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Logger.LogError(ex, "Call {CallId}: call observer failed on queue event {Kind}", Id, e.Kind);
        }
    }
}
