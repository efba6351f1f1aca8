using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>
/// Ordered dictionary with case-insensitive keys for URI and header parameters (RFC 3261 §19.1.4, §7.3.1).
/// Parameter lists are short, so a list with linear search beats hashing.
/// </summary>
internal sealed class ParameterCollection<TValue> : IDictionary<string, TValue>
{
    private static readonly List<KeyValuePair<string, TValue>> Empty = [];

    // Created on first add: most URIs have no parameters and no headers.
    private List<KeyValuePair<string, TValue>>? _list;

    private List<KeyValuePair<string, TValue>> Items => _list ?? Empty;

    // Set once the collection belongs to a read-only header view (SipMessage's cached From/To/Via): never cleared.
    private bool _readOnly;

    private List<KeyValuePair<string, TValue>> Writable
    {
        get
        {
            if (_readOnly)
            {
                ReadOnlyView.Throw();
            }

            return _list ??= new List<KeyValuePair<string, TValue>>(2);
        }
    }

    public int Count => Items.Count;

    public bool IsReadOnly => _readOnly;

    public ICollection<string> Keys => Items.ConvertAll(p => p.Key);

    public ICollection<TValue> Values => Items.ConvertAll(p => p.Value);

    public TValue this[string key]
    {
        get
        {
            var i = IndexOf(key);
            return i >= 0 ? Items[i].Value : throw new KeyNotFoundException(key);
        }
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            var i = IndexOf(key);
            if (i >= 0)
            {
                Writable[i] = new KeyValuePair<string, TValue>(Items[i].Key, value);
            }
            else
            {
                Writable.Add(new KeyValuePair<string, TValue>(key, value));
            }
        }
    }

    public void Add(string key, TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (IndexOf(key) >= 0)
        {
            throw new ArgumentException("Duplicate parameter " + key, nameof(key));
        }

        Writable.Add(new KeyValuePair<string, TValue>(key, value));
    }

    public void Add(KeyValuePair<string, TValue> item) => Add(item.Key, item.Value);

    public void Clear()
    {
        if (_list is not null)
        {
            Writable.Clear();
        }
    }

    public bool Contains(KeyValuePair<string, TValue> item)
    {
        var i = IndexOf(item.Key);
        return i >= 0 && EqualityComparer<TValue>.Default.Equals(Items[i].Value, item.Value);
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public void CopyTo(KeyValuePair<string, TValue>[] array, int arrayIndex) => Items.CopyTo(array, arrayIndex);

    public bool Remove(string key)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            return false;
        }

        Writable.RemoveAt(i);
        return true;
    }

    public bool Remove(KeyValuePair<string, TValue> item) => Contains(item) && Remove(item.Key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            value = Items[i].Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Struct enumerator: internal foreach loops do not allocate.</summary>
    public List<KeyValuePair<string, TValue>>.Enumerator GetEnumerator() => Items.GetEnumerator();

    IEnumerator<KeyValuePair<string, TValue>> IEnumerable<KeyValuePair<string, TValue>>.GetEnumerator() =>
        GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal TValue? GetOrDefault(string key)
    {
        var i = IndexOf(key);
        return i >= 0 ? Items[i].Value : default;
    }

    internal void MakeReadOnly() => _readOnly = true;

    internal void CopyFrom(ParameterCollection<TValue> other)
    {
        if (other.Count > 0)
        {
            Writable.AddRange(other.Items);
        }
    }

    private int IndexOf(string key)
    {
        for (var i = 0; i < Items.Count; i++)
        {
            if (string.Equals(Items[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
