using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>
/// Ordered dictionary with case-insensitive keys for URI and header parameters (RFC 3261 §19.1.4, §7.3.1).
/// Parameter lists are short, so a list with linear search beats hashing.
/// </summary>
internal sealed class ParameterCollection<TValue> : IDictionary<string, TValue>
{
    private readonly List<KeyValuePair<string, TValue>> _items = [];

    public int Count => _items.Count;

    public bool IsReadOnly => false;

    public ICollection<string> Keys => _items.ConvertAll(p => p.Key);

    public ICollection<TValue> Values => _items.ConvertAll(p => p.Value);

    public TValue this[string key]
    {
        get
        {
            var i = IndexOf(key);
            return i >= 0 ? _items[i].Value : throw new KeyNotFoundException(key);
        }
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            var i = IndexOf(key);
            if (i >= 0)
            {
                _items[i] = new KeyValuePair<string, TValue>(_items[i].Key, value);
            }
            else
            {
                _items.Add(new KeyValuePair<string, TValue>(key, value));
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

        _items.Add(new KeyValuePair<string, TValue>(key, value));
    }

    public void Add(KeyValuePair<string, TValue> item) => Add(item.Key, item.Value);

    public void Clear() => _items.Clear();

    public bool Contains(KeyValuePair<string, TValue> item)
    {
        var i = IndexOf(item.Key);
        return i >= 0 && EqualityComparer<TValue>.Default.Equals(_items[i].Value, item.Value);
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public void CopyTo(KeyValuePair<string, TValue>[] array, int arrayIndex) => _items.CopyTo(array, arrayIndex);

    public bool Remove(string key)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            return false;
        }

        _items.RemoveAt(i);
        return true;
    }

    public bool Remove(KeyValuePair<string, TValue> item) => Contains(item) && Remove(item.Key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            value = _items[i].Value;
            return true;
        }

        value = default;
        return false;
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal TValue? GetOrDefault(string key)
    {
        var i = IndexOf(key);
        return i >= 0 ? _items[i].Value : default;
    }

    internal void CopyFrom(ParameterCollection<TValue> other)
    {
        _items.AddRange(other._items);
    }

    private int IndexOf(string key)
    {
        for (var i = 0; i < _items.Count; i++)
        {
            if (string.Equals(_items[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
