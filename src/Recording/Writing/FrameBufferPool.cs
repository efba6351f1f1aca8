namespace Telephony.Recording.Writing;

/// <summary>
/// The frame buffers of one <see cref="RecordingSink"/>: a stack of at most <c>capacity</c> arrays, filled lazily as
/// the queue reaches a new depth, so a steady call rents and returns without allocating. Frames of one call all have
/// the same size, so an array is reused when it is large enough and a larger one replaces it otherwise. Unlike a
/// configurable <see cref="System.Buffers.ArrayPool{T}"/> it sets up no size buckets (about 14 KB per sink before
/// the first frame) and rounds no sizes up to a power of two. One media loop rents, the writer thread returns: the lock
/// is uncontended but for the moment the writer hands a batch back.
/// </summary>
internal sealed class FrameBufferPool(int capacity)
{
    private readonly Lock _gate = new();
    private short[][] _free = [];
    private int _count;
    private bool _closed;

    /// <summary>Arrays held for reuse now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>An array of at least <paramref name="length"/> samples.</summary>
    public short[] Rent(int length)
    {
        lock (_gate)
        {
            if (_count > 0)
            {
                var buffer = _free[--_count];
                _free[_count] = null!;
                if (buffer.Length >= length)
                {
                    return buffer;
                }

                // Too small (a spare of another kind of recording): dropped, so it cannot sit on top of the stack
                // and make every rent allocate; the new array takes its place when it comes back.
            }
        }

        return new short[length];
    }

    /// <summary>Keeps <paramref name="buffer"/> for reuse, or drops it when the pool is full or closed.</summary>
    public void Return(short[] buffer)
    {
        lock (_gate)
        {
            if (_count == capacity || _closed)
            {
                return; // a closed pool's arrays went to the spares: a late return is dropped, never handed on
            }

            if (_count == _free.Length)
            {
                Array.Resize(ref _free, Math.Min(capacity, Math.Max(8, _free.Length * 2)));
            }

            _free[_count++] = buffer;
        }
    }

    /// <summary>
    /// Takes up to <paramref name="count"/> arrays from <paramref name="spares"/> before the first frame (on the thread
    /// that creates the sink, not the media loop).
    /// </summary>
    public void Prefill(FrameSpares spares, int count)
    {
        var taken = new short[Math.Min(count, capacity)][];
        int n = spares.Take(taken);
        lock (_gate)
        {
            if (_closed)
            {
                spares.Give(taken.AsSpan(0, n));
                return;
            }

            if (_count + n > _free.Length)
            {
                Array.Resize(ref _free, Math.Min(capacity, Math.Max(_count + n, 8)));
            }

            for (int i = 0; i < n && _count < capacity; i++)
            {
                _free[_count++] = taken[i];
            }
        }
    }

    /// <summary>
    /// Closes the pool (its sink is finished: nothing is queued, the writer is done with it) and gives the arrays it
    /// holds to <paramref name="spares"/>. Only arrays in the free stack go: one the media loop rented before the close
    /// is not there, and when it comes back <see cref="Return"/> drops it. A rent after the close allocates.
    /// </summary>
    public void Close(FrameSpares? spares)
    {
        short[][] free;
        int count;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            free = _free;
            count = _count;
            _free = [];
            _count = 0;
        }

        spares?.Give(free.AsSpan(0, count));
    }
}
