namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// A small fixed table of <see cref="SrtpStream"/> slots, allocated once per context and searched linearly (a handful
/// of SSRCs at most). Inbound contexts reuse the least recently used slot when full, so SSRC changes keep working;
/// outbound contexts refuse a new SSRC instead, because restarting an evicted sender's index at 0 would reuse
/// keystream (RFC 3711 §9.1).
/// </summary>
internal sealed class SrtpStreamTable
{
    private readonly SrtpStream[] _slots;
    private long _clock;
    private int _last;

    public SrtpStreamTable(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 64);
        _slots = new SrtpStream[capacity];
    }

    public int Capacity => _slots.Length;

    public int Count
    {
        get
        {
            var count = 0;
            foreach (ref readonly var slot in _slots.AsSpan())
            {
                count += slot.InUse ? 1 : 0;
            }

            return count;
        }
    }

    public ref SrtpStream this[int slot] => ref _slots[slot];

    /// <summary>The slot holding <paramref name="ssrc"/>, or -1.</summary>
    public int Find(uint ssrc)
    {
        if (_slots[_last].InUse && _slots[_last].Ssrc == ssrc)
        {
            return _last;
        }

        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].InUse && _slots[i].Ssrc == ssrc)
            {
                _last = i;
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Takes a slot for a new <paramref name="ssrc"/>: a free one, else (when <paramref name="evict"/>) the least
    /// recently used one, reset. Returns -1 when full and not evicting.
    /// </summary>
    public int Claim(uint ssrc, bool evict)
    {
        var chosen = -1;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (!_slots[i].InUse)
            {
                chosen = i;
                break;
            }

            if (evict && (chosen < 0 || _slots[i].LastUsed < _slots[chosen].LastUsed))
            {
                chosen = i;
            }
        }

        if (chosen < 0 || (!evict && _slots[chosen].InUse))
        {
            return -1;
        }

        _slots[chosen] = new SrtpStream { Ssrc = ssrc, InUse = true };
        _last = chosen;
        return chosen;
    }

    public void Touch(int slot) => _slots[slot].LastUsed = ++_clock;

    public void Clear() => Array.Clear(_slots);
}
