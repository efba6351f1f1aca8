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
            if (_count > 0 && _free[_count - 1].Length >= length)
            {
                var buffer = _free[--_count];
                _free[_count] = null!;
                return buffer;
            }
        }

        return new short[length];
    }

    /// <summary>Keeps <paramref name="buffer"/> for reuse, or drops it when the pool is full.</summary>
    public void Return(short[] buffer)
    {
        lock (_gate)
        {
            if (_count == capacity)
            {
                return;
            }

            if (_count == _free.Length)
            {
                Array.Resize(ref _free, Math.Min(capacity, Math.Max(8, _free.Length * 2)));
            }

            _free[_count++] = buffer;
        }
    }
}
