using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telephony.Pbx.Sip.Security;

/// <summary>
/// Brute-force protection for digest authentication (RFC 3261 §22.4, §26.3.2.4): counts failed attempts per source
/// address and per user name in a sliding window and bans a source that crosses the threshold, for a back-off that
/// doubles with each ban of that address up to a cap. A user is never locked out: a source is banned by the per-user
/// count only when it is not an address that user has authenticated from. Trusted networks are never counted nor
/// banned. This is the public service the host shows in <c>/health</c> and the admin API (<see cref="Current"/>,
/// <see cref="Lift"/>, <see cref="Counters"/>, <see cref="Banned"/>/<see cref="Unbanned"/> for the audit trail).
/// Thread-safe; events fire outside the lock.
/// </summary>
public sealed partial class SipBanList
{
    /// <summary>Most source addresses whose failures are tracked at once (beyond it, new sources are not tracked
    /// until the window frees entries; the per-user count still catches them).</summary>
    public const int MaxTrackedSources = 10_000;

    /// <summary>Most user names whose failures are tracked at once.</summary>
    public const int MaxTrackedUsers = 10_000;

    /// <summary>Most addresses remembered per user as "usual" (where the user authenticated).</summary>
    public const int MaxUsualAddressesPerUser = 8;

    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, FailureWindow> _sourceFailures = [];
    private readonly Dictionary<string, FailureWindow> _userFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IPAddress>> _usualAddresses = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, BanEntry> _bans = [];
    private readonly Dictionary<IPAddress, History> _history = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _authFailures;
    private long _bansIssued;
    private long _bansExpired;
    private long _bansLifted;
    private long _forbidden;
    private long _dropped;

    /// <summary>Creates an empty list.</summary>
    public SipBanList(SipSecuritySettings settings, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>A source was banned (audit trail "ban").</summary>
    public event EventHandler<SipBanEventArgs>? Banned;

    /// <summary>A ban ended: expired or lifted (audit trail "unban").</summary>
    public event EventHandler<SipBanEventArgs>? Unbanned;

    /// <summary>The settings in force.</summary>
    public SipSecuritySettings Settings { get; }

    /// <summary>Bans in force, soonest to end first (ended ones are removed first, raising <see cref="Unbanned"/>).</summary>
    public IReadOnlyList<SipBan> Current
    {
        get
        {
            Sweep();
            lock (_gate)
            {
                return [.. _bans.Values.Select(b => b.Snapshot()).OrderBy(b => b.ExpiresAt)];
            }
        }
    }

    /// <summary>Totals since start.</summary>
    public SipBanCounters Counters
    {
        get
        {
            lock (_gate)
            {
                return new SipBanCounters(_authFailures, _bansIssued, _bansExpired, _bansLifted, _bans.Count, _forbidden,
                    _dropped);
            }
        }
    }

    /// <summary>True when <paramref name="address"/> is in a trusted network (never counted nor banned).</summary>
    public bool IsTrusted(IPAddress address) => Settings.IsTrusted(address);

    /// <summary>True while <paramref name="address"/> is banned (an ended ban is removed here, raising <see cref="Unbanned"/>).</summary>
    public bool IsBanned(IPAddress address) => TryGetBan(address, out _);

    /// <summary>The ban in force for <paramref name="address"/>, if any.</summary>
    public bool TryGetBan(IPAddress address, out SipBan? ban)
    {
        ArgumentNullException.ThrowIfNull(address);
        var a = SipSecuritySettings.Normalize(address);
        SipBan? expired = null;
        lock (_gate)
        {
            ban = null;
            if (!_bans.TryGetValue(a, out var entry))
            {
                return false;
            }
            if (_time.GetUtcNow() < entry.ExpiresAt)
            {
                ban = entry.Snapshot();
                return true;
            }
            expired = EndBan(a, entry, lifted: false);
        }

        RaiseUnbanned(expired, SipBanChange.Expired);
        return false;
    }

    /// <summary>
    /// Counts a failed digest attempt (wrong password or unknown user) from <paramref name="source"/> for
    /// <paramref name="user"/> (as sent; unknown names are counted exactly like known ones). Returns the ban it started,
    /// or null. A null source (not known to the caller) counts for the user only.
    /// </summary>
    public SipBan? RecordFailure(IPAddress? source, string? user)
    {
        var a = source is null ? null : SipSecuritySettings.Normalize(source);
        SipBan? started = null;
        SipBan? expired = null;
        lock (_gate)
        {
            _authFailures++;
            if (Settings.FailureLimit == 0 || (a is not null && Settings.IsTrusted(a)))
            {
                return null;
            }

            var now = _time.GetUtcNow();
            var userCount = user is null ? 0 : Count(_userFailures, user, MaxTrackedUsers, now);
            if (a is null)
            {
                return null;
            }
            if (_bans.TryGetValue(a, out var current))
            {
                if (now < current.ExpiresAt)
                {
                    return null; // admitted just before the ban began
                }
                expired = EndBan(a, current, lifted: false);
            }

            var sourceCount = Count(_sourceFailures, a, MaxTrackedSources, now);
            if (sourceCount >= Settings.FailureLimit)
            {
                started = StartBan(a, SipBanReason.SourceFailures, user, sourceCount, now);
            }
            else if (userCount >= Settings.FailureLimit && !IsUsualAddress(user!, a))
            {
                started = StartBan(a, SipBanReason.UserFailures, user, userCount, now);
            }
        }

        RaiseUnbanned(expired, SipBanChange.Expired);
        if (started is null)
        {
            return null;
        }

        _logger.LogWarning("SIP source {Address} banned for {Seconds} s (ban {Strike}): {Failures} failed digest attempts "
            + "({Reason}), last for user '{User}'", started.Address, (long)started.Duration.TotalSeconds, started.Strike,
            started.Failures, started.Reason, started.User);
        Raise(Banned, started, SipBanChange.Banned);
        return started;
    }

    /// <summary>Remembers that <paramref name="user"/> authenticated from <paramref name="source"/>: the per-user count
    /// never bans this address for that user.</summary>
    public void RecordSuccess(IPAddress? source, string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (source is null)
        {
            return;
        }

        var a = SipSecuritySettings.Normalize(source);
        lock (_gate)
        {
            if (!_usualAddresses.TryGetValue(user, out var list))
            {
                if (_usualAddresses.Count >= MaxTrackedUsers)
                {
                    return;
                }
                list = [];
                _usualAddresses[user] = list;
            }
            list.Remove(a);
            list.Add(a);
            if (list.Count > MaxUsualAddressesPerUser)
            {
                list.RemoveAt(0);
            }
        }
    }

    /// <summary>
    /// Lifts the ban of <paramref name="address"/> and forgets its failures and back-off (an admin vouches for it).
    /// False when it was not banned.
    /// </summary>
    public bool Lift(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var a = SipSecuritySettings.Normalize(address);
        SipBan lifted;
        lock (_gate)
        {
            if (!_bans.TryGetValue(a, out var entry))
            {
                return false;
            }
            lifted = EndBan(a, entry, lifted: true);
            _history.Remove(a);
            _sourceFailures.Remove(a);
        }

        _logger.LogInformation("SIP ban of {Address} lifted by an admin", a);
        RaiseUnbanned(lifted, SipBanChange.Lifted);
        return true;
    }

    /// <summary>Ends bans that ran out (raising <see cref="Unbanned"/>) and forgets stale counts; returns how many ended.</summary>
    public int Sweep()
    {
        var ended = new List<SipBan>();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var (address, entry) in _bans.ToArray())
            {
                if (now >= entry.ExpiresAt)
                {
                    ended.Add(EndBan(address, entry, lifted: false));
                }
            }
            Prune(_sourceFailures, now);
            Prune(_userFailures, now);
            foreach (var (address, history) in _history.ToArray())
            {
                if (!_bans.ContainsKey(address) && now - history.LastBanEnds >= Settings.MaxBanDuration)
                {
                    _history.Remove(address);
                }
            }
        }

        foreach (var ban in ended)
        {
            RaiseUnbanned(ban, SipBanChange.Expired);
        }
        return ended.Count;
    }

    /// <summary>Counts a request refused because its source is banned.</summary>
    internal void CountRefused(IPAddress address, SipBanAction action)
    {
        var a = SipSecuritySettings.Normalize(address);
        lock (_gate)
        {
            if (action == SipBanAction.Drop)
            {
                _dropped++;
            }
            else
            {
                _forbidden++;
            }
            if (_bans.TryGetValue(a, out var entry))
            {
                entry.Refused++;
            }
        }
    }
}
