namespace Telephony.Host.Security;

/// <summary>
/// Counts failed console logins per user name and per source address in a sliding window. Once either key reaches
/// <see cref="LoginThrottleOptions.MaxFailures"/> failures, it is locked: attempts are refused without checking the
/// password until the lockout ends. Every failure past the limit (after a lockout ended) locks again for twice as
/// long, up to the maximum. Refused attempts do not count, so a lockout does not grow while it lasts. Unknown user
/// names are counted like known ones, so the throttle says nothing about which users exist. A success clears the
/// user's count (not the source's: one valid account must not reset a guesser's address).
/// </summary>
public sealed class LoginThrottle(LoginThrottleOptions options, TimeProvider time)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>How long attempts for <paramref name="user"/> from <paramref name="source"/> are refused; null when allowed.</summary>
    public TimeSpan? RetryAfter(string user, string source)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            TimeSpan wait = TimeSpan.Zero;
            foreach (string key in Keys(user, source))
            {
                if (_entries.TryGetValue(key, out Entry? e) && e.LockedUntil > now && e.LockedUntil - now > wait)
                {
                    wait = e.LockedUntil - now;
                }
            }

            return wait > TimeSpan.Zero ? wait : null;
        }
    }

    /// <summary>Counts a failure; returns the lockout it started (null when none).</summary>
    public TimeSpan? Failed(string user, string source)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            TimeSpan? started = null;
            foreach (string key in Keys(user, source))
            {
                if (!_entries.TryGetValue(key, out Entry? e))
                {
                    if (_entries.Count >= options.MaxTrackedKeys && !Prune(now))
                    {
                        continue;
                    }

                    e = new Entry();
                    _entries[key] = e;
                }

                e.Forget(now - options.Window);
                e.Failures.Enqueue(now);
                if (e.Failures.Count >= options.MaxFailures)
                {
                    TimeSpan lockout = Lockout(e.Lockouts++);
                    e.LockedUntil = now + lockout;
                    started = started is { } s && s > lockout ? s : lockout;
                }
            }

            return started;
        }
    }

    /// <summary>A successful login: clears the user's failures.</summary>
    public void Succeeded(string user)
    {
        lock (_lock)
        {
            _entries.Remove(UserKey(user));
        }
    }

    /// <summary>Keys tracked now (for tests).</summary>
    internal int TrackedKeys
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    private TimeSpan Lockout(int previous)
    {
        double seconds = options.FirstLockout.TotalSeconds * Math.Pow(2, Math.Min(previous, 30));
        return seconds >= options.MaxLockout.TotalSeconds ? options.MaxLockout : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Drops entries with no failure in the window and no lockout running; true when there is room now.</summary>
    private bool Prune(DateTimeOffset now)
    {
        foreach ((string key, Entry e) in _entries.ToArray())
        {
            e.Forget(now - options.Window);
            if (e.Failures.Count == 0 && e.LockedUntil <= now)
            {
                _entries.Remove(key);
            }
        }

        return _entries.Count < options.MaxTrackedKeys;
    }

    private static string UserKey(string user) => "user:" + user;

    private static string[] Keys(string user, string source) => [UserKey(user), "source:" + source];

    private sealed class Entry
    {
        public Queue<DateTimeOffset> Failures { get; } = new();

        public DateTimeOffset LockedUntil { get; set; }

        public int Lockouts { get; set; }

        public void Forget(DateTimeOffset before)
        {
            while (Failures.TryPeek(out DateTimeOffset t) && t < before)
            {
                Failures.Dequeue();
            }

            if (Failures.Count == 0)
            {
                Lockouts = 0;
            }
        }
    }
}
