namespace Telephony.Pbx.Sip.Transactions;

/// <summary>
/// The last timers (RFC 6026 §7.1 Timer L, RFC 3261 §17.2.2 Timer J) of every lingering server transaction on one
/// timer: entries wait in due order and the timer is armed for the earliest. At a thousand calls a second about
/// 64,000 transactions linger for 32 s (each call's INVITE and BYE); a timer each put all of them in the runtime's timer
/// queue and gave every one a timer object that died in the oldest generation. Expiry is never early; after a round
/// the next one waits at least <see cref="CoalesceMs"/>, so entries due within that window expire together (late by
/// at most that much). Thread-safe.
/// </summary>
internal sealed class LingerQueue : IDisposable
{
    /// <summary>The shortest wait between two rounds (entries due meanwhile expire in the same round).</summary>
    public const int CoalesceMs = 20;

    private readonly TimeProvider _time;
    private readonly PriorityQueue<IExpiring, long> _due = new();
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private long _armedFor = long.MaxValue;
    private bool _disposed;

    public LingerQueue(TimeProvider time) => _time = time;

    /// <summary>Entries waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>Expires <paramref name="lingering"/> once <paramref name="remaining"/> has passed.</summary>
    public void Add(IExpiring lingering, TimeSpan remaining)
    {
        long now = _time.GetTimestamp();
        long due = now + ToTimestamp(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _due.Enqueue(lingering, due);
            if (due < _armedFor)
            {
                Arm(due, now);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _due.Clear();
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Fire()
    {
        List<IExpiring>? expired = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            long now = _time.GetTimestamp();
            while (_due.TryPeek(out var lingering, out long due) && due <= now)
            {
                _due.Dequeue();
                (expired ??= []).Add(lingering);
            }

            _armedFor = long.MaxValue;
            if (_due.TryPeek(out _, out long next))
            {
                Arm(Math.Max(next, now + ToTimestamp(TimeSpan.FromMilliseconds(CoalesceMs))), now);
            }
        }

        if (expired is not null)
        {
            foreach (var lingering in expired)
            {
                lingering.Expire();
            }
        }
    }

    /// <summary>Arms the timer for <paramref name="due"/> (a timestamp); under the lock.</summary>
    private void Arm(long due, long now)
    {
        _armedFor = due;
        TimeSpan wait = _time.GetElapsedTime(now, due);
        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }

        if (_timer is null)
        {
            _timer = TransactionTimer.Create(_time, static s => ((LingerQueue)s!).Fire(), this, wait);
        }
        else
        {
            _timer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);
}
