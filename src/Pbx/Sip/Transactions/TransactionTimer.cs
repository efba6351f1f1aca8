namespace Telephony.Pbx.Sip.Transactions;

/// <summary>
/// One restartable one-shot timer of a transaction (RFC 3261 §17 timers A..K). Start/Stop are called under the
/// transaction's lock; the callback gets the version it was started with and must check <see cref="IsCurrent"/>
/// under the same lock, so a callback racing with Stop or a restart is ignored.
/// </summary>
internal sealed class TransactionTimer(TimeProvider time)
{
    private ITimer? _timer;
    private long _version;

    /// <summary>The interval the timer was last started with (for doubling).</summary>
    public TimeSpan Interval { get; private set; }

    public bool IsRunning => _timer is not null;

    public void Start(TimeSpan due, Action<long> callback)
    {
        Stop();
        Interval = due;
        var version = _version;
        _timer = Create(time, static s =>
        {
            var (cb, v) = ((Action<long>, long))s!;
            cb(v);
        }, (callback, version), due);
    }

    /// <summary>
    /// A one-shot timer that does not capture the caller's ExecutionContext: the timers start inside a call's work
    /// (its logging scope is an AsyncLocal), and a captured context keeps that scope, and whatever it holds, alive until
    /// the timer fires, 32 s later for Timers L, J, D and M; the callbacks need none of it.
    /// </summary>
    public static ITimer Create(TimeProvider time, TimerCallback callback, object? state, TimeSpan due)
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            return time.CreateTimer(callback, state, due, Timeout.InfiniteTimeSpan);
        }

        using (ExecutionContext.SuppressFlow())
        {
            return time.CreateTimer(callback, state, due, Timeout.InfiniteTimeSpan);
        }
    }

    public bool IsCurrent(long version) => _timer is not null && version == _version;

    public void Stop()
    {
        _version++;
        _timer?.Dispose();
        _timer = null;
    }
}
