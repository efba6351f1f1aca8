namespace Telephony.Recording.Writing;

/// <summary>
/// Frame buffers handed on from finished recordings to new ones. A <see cref="FrameBufferPool"/> fills lazily, so each
/// recording used to allocate its own ~13 frames (one writer round of 20 ms frames, 640 B each for stereo PCM16):
/// about 8 % of what a call set up allocated. A completed sink gives its free frames here (<see cref="FrameBufferPool.Close"/>),
/// and a new sink takes some before its first frame (<see cref="FrameBufferPool.Prefill"/>), both on control or writer
/// threads: the media loop's <see cref="FrameBufferPool.Rent"/> never touches this shared stack. Only arrays of one length
/// are kept (the length most recently given: every call recording uses the same frame), at most <see cref="Capacity"/>.
/// </summary>
internal sealed class FrameSpares(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Stack<short[]> _free = new();
    private int _length = -1;

    /// <summary>The spares shared by every sink of the process (4,096 × 640 B = 2.6 MB at most).</summary>
    public static FrameSpares Shared { get; } = new(4096);

    /// <summary>Most arrays kept.</summary>
    public int Capacity => capacity;

    /// <summary>Arrays held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _free.Count;
            }
        }
    }

    /// <summary>Keeps the arrays (all of one length) for another recording; drops what does not fit.</summary>
    public void Give(ReadOnlySpan<short[]> buffers)
    {
        if (buffers.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var buffer in buffers)
            {
                if (buffer.Length != _length)
                {
                    if (_free.Count > 0)
                    {
                        continue; // another length than the spares held: keep one kind only
                    }

                    _length = buffer.Length;
                }

                if (_free.Count == capacity)
                {
                    return;
                }

                _free.Push(buffer);
            }
        }
    }

    /// <summary>Moves up to <paramref name="destination"/>.Length arrays into it; returns how many.</summary>
    public int Take(Span<short[]> destination)
    {
        lock (_gate)
        {
            int n = 0;
            while (n < destination.Length && _free.TryPop(out var buffer))
            {
                destination[n++] = buffer;
            }

            return n;
        }
    }
}
