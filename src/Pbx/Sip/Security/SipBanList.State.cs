using System.Net;
using Microsoft.Extensions.Logging;

namespace Telephony.Pbx.Sip.Security;

/// <summary>The counting windows, ban entries and back-off history behind <see cref="SipBanList"/> (all under its lock).</summary>
public sealed partial class SipBanList
{
    /// <summary>Failures of <paramref name="key"/> within the window after adding one now; 0 when the table is full.</summary>
    private int Count<TKey>(Dictionary<TKey, FailureWindow> table, TKey key, int capacity, DateTimeOffset now)
        where TKey : notnull
    {
        if (!table.TryGetValue(key, out var window))
        {
            if (table.Count >= capacity)
            {
                Prune(table, now);
                if (table.Count >= capacity)
                {
                    return 0;
                }
            }
            window = new FailureWindow();
            table[key] = window;
        }
        return window.Add(now, Settings.FailureWindow, Settings.FailureLimit);
    }

    private void Prune<TKey>(Dictionary<TKey, FailureWindow> table, DateTimeOffset now)
        where TKey : notnull
    {
        foreach (var (key, window) in table.ToArray())
        {
            if (now - window.Last >= Settings.FailureWindow)
            {
                table.Remove(key);
            }
        }
    }

    private bool IsUsualAddress(string user, IPAddress address) =>
        _usualAddresses.TryGetValue(user, out var list) && list.Contains(address);

    /// <summary>Bans <paramref name="address"/>: BanDuration × 2^(earlier bans still remembered), capped.</summary>
    private SipBan StartBan(IPAddress address, SipBanReason reason, string? user, int failures, DateTimeOffset now)
    {
        var earlier = _history.TryGetValue(address, out var history) && now - history.LastBanEnds < Settings.MaxBanDuration
            ? history.Strikes
            : 0;
        var duration = Settings.BanDuration;
        for (var i = 0; i < earlier && duration < Settings.MaxBanDuration; i++)
        {
            duration += duration;
        }
        if (duration > Settings.MaxBanDuration)
        {
            duration = Settings.MaxBanDuration;
        }

        var entry = new BanEntry(address, reason, user, failures, earlier + 1, now, now + duration);
        _bans[address] = entry;
        _history[address] = new History(earlier + 1, entry.ExpiresAt);
        _sourceFailures.Remove(address);
        _bansIssued++;
        return entry.Snapshot();
    }

    /// <summary>Removes the ban; the back-off history stays (the next ban of this address is longer).</summary>
    private SipBan EndBan(IPAddress address, BanEntry entry, bool lifted)
    {
        _bans.Remove(address);
        if (lifted)
        {
            _bansLifted++;
        }
        else
        {
            _bansExpired++;
        }
        return entry.Snapshot();
    }

    private void RaiseUnbanned(SipBan? ban, SipBanChange change)
    {
        if (ban is null)
        {
            return;
        }
        if (change == SipBanChange.Expired)
        {
            _logger.LogInformation("SIP ban of {Address} ended after {Seconds} s ({Refused} requests refused)",
                ban.Address, (long)ban.Duration.TotalSeconds, ban.RequestsRefused);
        }
        Raise(Unbanned, ban, change);
    }

    private void Raise(EventHandler<SipBanEventArgs>? handler, SipBan ban, SipBanChange change)
    {
        if (handler is null)
        {
            return;
        }
        try
        {
            handler(this, new SipBanEventArgs(ban, change));
        }
#pragma warning disable CA1031 // A subscriber's bug (e.g. the audit log) must not break authentication for everyone.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogError(ex, "SIP ban event handler failed for {Address} ({Change})", ban.Address, change);
        }
    }

    /// <summary>Times of the most recent failures (at most the limit) within the window.</summary>
    private sealed class FailureWindow
    {
        private readonly Queue<DateTimeOffset> _times = new();

        public DateTimeOffset Last { get; private set; }

        public int Add(DateTimeOffset now, TimeSpan window, int limit)
        {
            while (_times.Count > 0 && now - _times.Peek() >= window)
            {
                _times.Dequeue();
            }
            _times.Enqueue(now);
            while (_times.Count > limit)
            {
                _times.Dequeue();
            }
            Last = now;
            return _times.Count;
        }
    }

    private sealed class BanEntry(IPAddress address, SipBanReason reason, string? user, int failures, int strike,
        DateTimeOffset bannedAt, DateTimeOffset expiresAt)
    {
        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public long Refused { get; set; }

        public SipBan Snapshot() => new(address, reason, user, failures, strike, bannedAt, ExpiresAt, Refused);
    }

    private readonly record struct History(int Strikes, DateTimeOffset LastBanEnds);
}
