using System.Collections;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>
/// The header fields of a SIP message (RFC 3261 §7.3): ordered, one entry per header field line, names
/// canonicalized (compact forms expanded), values kept as strings. Fields of the same name keep their order
/// (§7.3.1); <see cref="GetAll"/> splits comma-separated list headers.
/// </summary>
public sealed class SipHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private static readonly HashSet<string> ListHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderName.Via, HeaderName.Contact, HeaderName.Route, HeaderName.RecordRoute, HeaderName.Allow,
        HeaderName.Supported, HeaderName.Require, HeaderName.Unsupported, HeaderName.Accept, HeaderName.Warning,
        HeaderName.Reason, "Proxy-Require", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow-Events",
        "Call-Info", "Content-Encoding", "Content-Language", "Error-Info", "In-Reply-To", "Path", "Service-Route",
        "P-Asserted-Identity", "P-Preferred-Identity", "Privacy", "Accept-Contact", "Reject-Contact",
        "Request-Disposition",
    };

    private readonly List<KeyValuePair<string, string>> _fields = new(12);

    public int Count => _fields.Count;

    /// <summary>Appends a header field; the name is canonicalized.</summary>
    /// <exception cref="ArgumentException">The name is not a token, or the value holds CR or LF.</exception>
    public void Add(string name, string value)
    {
        CheckField(name, value);
        _fields.Add(new KeyValuePair<string, string>(HeaderName.Canonicalize(name), value));
    }

    /// <summary>Inserts a header field before all others (e.g. push a Via).</summary>
    public void AddFirst(string name, string value)
    {
        CheckField(name, value);
        _fields.Insert(0, new KeyValuePair<string, string>(HeaderName.Canonicalize(name), value));
    }

    /// <summary>The first field's value, or null.</summary>
    public string? Get(string name)
    {
        name = HeaderName.Canonicalize(name);
        foreach (var (n, v) in _fields)
        {
            if (Matches(n, name))
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>
    /// All values of that name in order; for list headers (Via, Contact, Route, Record-Route, Allow,
    /// Supported, Require, Accept...) each field is split at top-level commas (not inside quotes or &lt;...&gt;).
    /// </summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        name = HeaderName.Canonicalize(name);
        var split = ListHeaders.Contains(name);
        List<string>? result = null;
        foreach (var (n, v) in _fields)
        {
            if (!Matches(n, name))
            {
                continue;
            }

            result ??= new List<string>(2);
            if (split && v.Contains(','))
            {
                result.AddRange(SipGrammar.SplitTopLevel(v));
            }
            else
            {
                var trimmed = SipGrammar.TrimLws(v.AsSpan());
                if (trimmed.Length > 0 || !split)
                {
                    result.Add(trimmed.Length == v.Length ? v : trimmed.ToString());
                }
            }
        }

        return result ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Replaces all fields of that name with one, at the position of the first (or at the end).</summary>
    public void Set(string name, string value)
    {
        CheckField(name, value);
        name = HeaderName.Canonicalize(name);
        var first = IndexOf(name);
        if (first < 0)
        {
            _fields.Add(new KeyValuePair<string, string>(name, value));
            return;
        }

        _fields[first] = new KeyValuePair<string, string>(name, value);
        for (var i = _fields.Count - 1; i > first; i--)
        {
            if (Matches(_fields[i].Key, name))
            {
                _fields.RemoveAt(i);
            }
        }
    }

    /// <summary>Removes all fields of that name.</summary>
    public bool Remove(string name)
    {
        name = HeaderName.Canonicalize(name);
        var removed = false;
        for (var i = _fields.Count - 1; i >= 0; i--)
        {
            if (Matches(_fields[i].Key, name))
            {
                _fields.RemoveAt(i);
                removed = true;
            }
        }

        return removed;
    }

    /// <summary>Removes the first field of that name.</summary>
    public bool RemoveFirst(string name)
    {
        name = HeaderName.Canonicalize(name);
        var i = IndexOf(name);
        if (i < 0)
        {
            return false;
        }

        _fields.RemoveAt(i);
        return true;
    }

    public bool Contains(string name)
    {
        name = HeaderName.Canonicalize(name);
        return IndexOf(name) >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Number of header fields with that name (not split on commas).</summary>
    internal int CountOf(string name)
    {
        var n = 0;
        foreach (var f in _fields)
        {
            if (Matches(f.Key, name))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Parser fast path: the name is already canonical.</summary>
    internal void AddCanonical(string name, string value) =>
        _fields.Add(new KeyValuePair<string, string>(name, value));

    /// <summary>Header injection guard: a value set by code must stay on its own line.</summary>
    private static void CheckField(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!SipGrammar.IsToken(name))
        {
            throw new ArgumentException("Header name must be a token: " + name, nameof(name));
        }

        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("Header value must not contain CR or LF", nameof(value));
        }
    }

    // A loop rather than FindIndex with a lambda: the lambda captured the name, one closure per call.
    private int IndexOf(string canonicalName)
    {
        for (var i = 0; i < _fields.Count; i++)
        {
            if (Matches(_fields[i].Key, canonicalName))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Matches(string fieldName, string name) =>
        ReferenceEquals(fieldName, name) || string.Equals(fieldName, name, StringComparison.OrdinalIgnoreCase);
}
