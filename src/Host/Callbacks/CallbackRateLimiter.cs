namespace Telephony.Host.Callbacks;

/// <summary>
/// Sliding-window counters for callback requests: per API key (or console user), per client address and per number.
/// <see cref="TryAcquire"/> counts the request when it is within the limit, or says how long to wait (HTTP 429 with
/// <c>Retry-After</c>). In memory and thread-safe; the per-number window is also checked against the database by the
/// caller, so a restart does not reopen it.
/// </summary>
public sealed class CallbackRateLimiter(TimeProvider time)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>Counts one request under <paramref name="key"/> when fewer than <paramref name="limit"/> were counted in
    /// the last <paramref name="window"/>; otherwise returns false and when the oldest one leaves the window.</summary>
    public bool TryAcquire(string key, int limit, TimeSpan window, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Sweep(now);
            if (!_windows.TryGetValue(key, out var log))
            {
                log = new Queue<DateTimeOffset>();
                _windows[key] = log;
            }
            while (log.Count > 0 && log.Peek() <= now - window)
            {
                log.Dequeue();
            }
            if (log.Count >= limit)
            {
                retryAfter = log.Peek() + window - now;
                return false;
            }
            log.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>Forgets <paramref name="key"/>'s last count (a request refused after it was counted, e.g. for its
    /// number, does not use the number's window).</summary>
    public void Release(string key)
    {
        lock (_gate)
        {
            if (_windows.TryGetValue(key, out var log) && log.Count > 0)
            {
                var kept = log.ToArray()[..^1];
                log.Clear();
                foreach (var t in kept)
                {
                    log.Enqueue(t);
                }
            }
        }
    }

    /// <summary>Drops keys idle for an hour (every few minutes), so the table does not grow with every address seen.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (now - _lastSweep < TimeSpan.FromMinutes(5))
        {
            return;
        }
        _lastSweep = now;
        foreach (var (key, log) in _windows.ToList())
        {
            if (log.Count == 0 || log.Last() < now - TimeSpan.FromHours(1))
            {
                _windows.Remove(key);
            }
        }
    }
}
