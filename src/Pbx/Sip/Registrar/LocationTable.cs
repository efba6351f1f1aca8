using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// The registrar's location service (RFC 3261 §10.3): contact bindings per address-of-record with expiry from a
/// <see cref="TimeProvider"/>, Call-ID/CSeq ordering (step 7), RFC 5626 +sip.instance replacement and the transport
/// source to reach each UA behind NAT. Thread-safe; events fire outside the lock, after the change.
/// </summary>
public sealed class LocationTable
{
    /// <summary>Most bindings one AOR may hold.</summary>
    public const int MaxBindingsPerAor = 32;

    private readonly Dictionary<string, List<Binding>> _bindings = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates an empty table.</summary>
    public LocationTable(TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>A contact was bound to an AOR for the first time (e.g. an agent logged in).</summary>
    public event EventHandler<BindingEventArgs>? BindingAdded;

    /// <summary>A binding was removed by its UA (expires=0 or Contact: *).</summary>
    public event EventHandler<BindingEventArgs>? BindingRemoved;

    /// <summary>A binding lapsed without refresh.</summary>
    public event EventHandler<BindingEventArgs>? BindingExpired;

    /// <summary>Number of stored bindings, expired ones not yet swept included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _bindings.Values.Sum(l => l.Count);
            }
        }
    }

    /// <summary>
    /// Applies a REGISTER's contacts to <paramref name="aor"/> (RFC 3261 §10.3 steps 7-8). All-or-nothing: if any
    /// contact's binding has the same Call-ID and a CSeq at or above <paramref name="cseq"/>, nothing changes and the
    /// outcome is <see cref="LocationUpdateOutcome.OutOfOrder"/>. An empty list just queries.
    /// </summary>
    public LocationUpdateResult Update(
        string aor, string callId, uint cseq, IReadOnlyList<BindingRequest> contacts, object? source)
    {
        ArgumentNullException.ThrowIfNull(aor);
        ArgumentNullException.ThrowIfNull(callId);
        ArgumentNullException.ThrowIfNull(contacts);
        var added = new List<Binding>();
        var removed = new List<Binding>();
        var expired = new List<Binding>();
        LocationUpdateResult result;
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            List<Binding> list = GetList(aor);
            DropExpired(list, now, expired);
            result = Apply(aor, callId, cseq, contacts, source, list, now, added, removed);
            if (list.Count == 0)
            {
                _bindings.Remove(aor);
            }
        }

        Raise(BindingExpired, expired);
        Raise(BindingRemoved, removed);
        Raise(BindingAdded, added);
        return result;
    }

    /// <summary>
    /// "Contact: *" with Expires: 0 (RFC 3261 §10.3 step 6): removes every binding of <paramref name="aor"/>, unless
    /// one has the same Call-ID and a CSeq at or above <paramref name="cseq"/> (then nothing changes, OutOfOrder).
    /// </summary>
    public LocationUpdateResult RemoveAll(string aor, string callId, uint cseq)
    {
        ArgumentNullException.ThrowIfNull(aor);
        ArgumentNullException.ThrowIfNull(callId);
        var removed = new List<Binding>();
        var expired = new List<Binding>();
        LocationUpdateResult result;
        lock (_gate)
        {
            List<Binding> list = GetList(aor);
            DropExpired(list, _time.GetUtcNow(), expired);
            if (list.Exists(b => b.CallId == callId && cseq <= b.CSeq))
            {
                result = new LocationUpdateResult(LocationUpdateOutcome.OutOfOrder, Ordered(list));
            }
            else
            {
                removed.AddRange(list);
                list.Clear();
                result = new LocationUpdateResult(LocationUpdateOutcome.Ok, []);
            }

            if (list.Count == 0)
            {
                _bindings.Remove(aor);
            }
        }

        Raise(BindingExpired, expired);
        Raise(BindingRemoved, removed);
        return result;
    }

    /// <summary>
    /// Removes every binding registered through <paramref name="source"/> (a connection that closed: its contacts,
    /// e.g. RFC 7118 <c>.invalid</c> hosts, cannot be reached any more), raising <see cref="BindingRemoved"/>.
    /// Returns how many were removed.
    /// </summary>
    public int RemoveBySource(object source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var removed = new List<Binding>();
        lock (_gate)
        {
            foreach (var (aor, list) in _bindings.ToList())
            {
                removed.AddRange(list.Where(b => source.Equals(b.Source)));
                list.RemoveAll(b => source.Equals(b.Source));
                if (list.Count == 0)
                {
                    _bindings.Remove(aor);
                }
            }
        }

        Raise(BindingRemoved, removed);
        return removed.Count;
    }

    /// <summary>Unexpired bindings of <paramref name="aor"/>, highest q first, then most recently updated.</summary>
    public IReadOnlyList<Binding> GetBindings(string aor)
    {
        ArgumentNullException.ThrowIfNull(aor);
        lock (_gate)
        {
            if (!_bindings.TryGetValue(aor, out List<Binding>? list))
            {
                return [];
            }

            DateTimeOffset now = _time.GetUtcNow();
            return Ordered(list.Where(b => b.ExpiresAt > now));
        }
    }

    /// <summary>Removes lapsed bindings, raising <see cref="BindingExpired"/> for each; returns how many.</summary>
    public int SweepExpired()
    {
        var expired = new List<Binding>();
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            foreach (string aor in _bindings.Keys.ToArray())
            {
                List<Binding> list = _bindings[aor];
                DropExpired(list, now, expired);
                if (list.Count == 0)
                {
                    _bindings.Remove(aor);
                }
            }
        }

        Raise(BindingExpired, expired);
        return expired.Count;
    }

    private static LocationUpdateResult Apply(
        string aor, string callId, uint cseq, IReadOnlyList<BindingRequest> contacts, object? source,
        List<Binding> list, DateTimeOffset now, List<Binding> added, List<Binding> removed)
    {
        int newCount = list.Count;
        foreach (BindingRequest c in contacts)
        {
            Binding? existing = Find(list, c);
            if (existing is not null && existing.CallId == callId && cseq <= existing.CSeq)
            {
                return new LocationUpdateResult(LocationUpdateOutcome.OutOfOrder, Ordered(list));
            }

            if (existing is null && c.Expires > TimeSpan.Zero)
            {
                newCount++;
            }
        }

        if (newCount > MaxBindingsPerAor)
        {
            return new LocationUpdateResult(LocationUpdateOutcome.TooManyBindings, Ordered(list));
        }

        foreach (BindingRequest c in contacts)
        {
            Binding? existing = Find(list, c);
            if (c.Expires <= TimeSpan.Zero)
            {
                if (existing is not null)
                {
                    list.Remove(existing);
                    removed.Add(existing);
                }

                continue;
            }

            var binding = new Binding(aor, c.ContactUri, now + c.Expires, Math.Clamp(c.Q, 0.0, 1.0), callId, cseq, source,
                c.InstanceId, now);
            if (existing is null)
            {
                list.Add(binding);
                added.Add(binding);
            }
            else
            {
                list[list.IndexOf(existing)] = binding;
            }
        }

        return new LocationUpdateResult(LocationUpdateOutcome.Ok, Ordered(list));
    }

    /// <summary>RFC 5626 §6: a binding with the same +sip.instance is the same UA even if its contact changed.</summary>
    private static Binding? Find(List<Binding> list, BindingRequest c) =>
        (c.InstanceId is not null ? list.Find(b => b.InstanceId == c.InstanceId) : null)
        ?? list.Find(b => string.Equals(b.ContactUri, c.ContactUri, StringComparison.Ordinal));

    private static List<Binding> Ordered(IEnumerable<Binding> bindings) =>
        [.. bindings.OrderByDescending(b => b.Q).ThenByDescending(b => b.UpdatedAt)];

    private List<Binding> GetList(string aor)
    {
        if (!_bindings.TryGetValue(aor, out List<Binding>? list))
        {
            list = [];
            _bindings[aor] = list;
        }

        return list;
    }

    private static void DropExpired(List<Binding> list, DateTimeOffset now, List<Binding> expired)
    {
        for (int i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].ExpiresAt <= now)
            {
                expired.Add(list[i]);
                list.RemoveAt(i);
            }
        }
    }

    private void Raise(EventHandler<BindingEventArgs>? handler, List<Binding> bindings)
    {
        if (handler is null)
        {
            return;
        }

        foreach (Binding b in bindings)
        {
            try
            {
                handler(this, new BindingEventArgs(b));
            }
#pragma warning disable CA1031 // A subscriber's bug must not break registration for everyone else.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _logger.LogError(ex, "Location table event handler failed for {Aor} {Contact}", b.Aor, b.ContactUri);
            }
        }
    }
}
