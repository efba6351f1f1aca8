namespace Telephony.Pbx.Media.JitterBuffer;

/// <summary>
/// Adaptive jitter buffer for one RTP stream of fixed-duration frames (RFC 3550 §A.8 motivates it; the playout
/// policy is ours). A fixed ring indexed by <c>seq % capacity</c> holds encoded payloads in preallocated byte slots;
/// one frame is played per tick in sequence (= timestamp) order. Playout starts once <see cref="TargetDepthFrames"/>
/// frames are buffered. When the buffer runs dry it re-buffers; if the packet that ends the underrun is the very next
/// one in both sequence and timestamp, the underrun was network delay and the target grows by one frame (up to the
/// cap), whereas a timestamp jump means a talkspurt/silence gap (RFC 3551 §4.1) or a pause and changes nothing.
/// A second of sustained excess drops one frame, and ten seconds without underrun shrink the target by one. Late and duplicate packets are
/// dropped and counted; sequence wrap is handled by 16-bit arithmetic; an SSRC change or a jump past the ring
/// resets the stream. Owned by one media loop: not thread-safe, no allocation after construction.
/// </summary>
public sealed class AdaptiveJitterBuffer
{
    private const int ExcessTicksBeforeDrop = 50;     // 1 s of 20 ms ticks
    private const int StableTicksBeforeShrink = 500;  // 10 s

    private readonly byte[] _data;
    private readonly int[] _lengths;
    private readonly ushort[] _seqs;
    private readonly uint[] _timestamps;
    private readonly bool[] _occupied;
    private readonly int _slotSize;
    private bool _hasSsrc;
    private uint _ssrc;
    private bool _playing;
    private ushort _nextSeq;
    private ushort _highestSeq;
    private int _count;
    private int _excessTicks;
    private int _stableTicks;
    private bool _underrun;
    private bool _havePlayed;
    private bool _lastWasFrame;
    private uint _lastPlayedTimestamp;
    private uint _frameTimestampUnits = 160;

    public AdaptiveJitterBuffer(int capacity = 32, int slotSize = 320, int minDepthFrames = 1, int maxDepthFrames = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDepthFrames, capacity / 2);
        Capacity = capacity;
        _slotSize = slotSize;
        _data = new byte[capacity * slotSize];
        _lengths = new int[capacity];
        _seqs = new ushort[capacity];
        _timestamps = new uint[capacity];
        _occupied = new bool[capacity];
        MinDepthFrames = minDepthFrames;
        MaxDepthFrames = maxDepthFrames;
        TargetDepthFrames = Math.Max(minDepthFrames, 2);
    }

    public int Capacity { get; }
    public int MinDepthFrames { get; }

    /// <summary>Cap of the target depth (10 frames of 20 ms = 200 ms by default).</summary>
    public int MaxDepthFrames { get; }

    /// <summary>Frames buffered before playout starts or resumes.</summary>
    public int TargetDepthFrames { get; private set; }

    /// <summary>Frames currently buffered.</summary>
    public int Count => _count;

    public long Late { get; private set; }
    public long Duplicates { get; private set; }
    public long Lost { get; private set; }
    public long Underruns { get; private set; }
    public long Discarded { get; private set; }
    public long Resyncs { get; private set; }
    public long SsrcChanges { get; private set; }

    /// <summary>Stores one packet's payload.</summary>
    public JitterPutResult Put(ushort seq, uint timestamp, uint ssrc, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > _slotSize)
        {
            return JitterPutResult.TooLarge;
        }

        var result = JitterPutResult.Stored;
        if (_underrun && _hasSsrc && ssrc == _ssrc)
        {
            _underrun = false;
            if (seq == _nextSeq && _havePlayed && timestamp - _lastPlayedTimestamp == _frameTimestampUnits)
            {
                // The next frame was merely late: the network jitters more than we buffer.
                TargetDepthFrames = Math.Min(MaxDepthFrames, TargetDepthFrames + 1);
            }
        }

        if (!_hasSsrc || ssrc != _ssrc)
        {
            if (_hasSsrc)
            {
                SsrcChanges++;
            }

            Flush();
            _hasSsrc = true;
            _ssrc = ssrc;
            _nextSeq = seq;
            _highestSeq = seq;
        }
        else if (_count == 0 && !_playing)
        {
            _nextSeq = seq;
            _highestSeq = seq;
        }

        var delta = (short)(ushort)(seq - _nextSeq);
        if (delta < 0)
        {
            // While still buffering, an earlier packet can extend the start if it fits in the ring.
            if (!_playing && (ushort)(_highestSeq - seq) < Capacity)
            {
                _nextSeq = seq;
                delta = 0;
            }
            else
            {
                Late++;
                return JitterPutResult.Late;
            }
        }

        if (delta >= Capacity)
        {
            Resyncs++;
            Flush();
            _nextSeq = seq;
            _highestSeq = seq;
            result = JitterPutResult.Resynchronized;
        }

        var slot = seq % Capacity;
        if (_occupied[slot] && _seqs[slot] == seq)
        {
            Duplicates++;
            return JitterPutResult.Duplicate;
        }

        payload.CopyTo(_data.AsSpan(slot * _slotSize, _slotSize));
        _lengths[slot] = payload.Length;
        _seqs[slot] = seq;
        _timestamps[slot] = timestamp;
        if (!_occupied[slot])
        {
            _occupied[slot] = true;
            _count++;
        }

        if ((short)(ushort)(seq - _highestSeq) > 0 || _count == 1)
        {
            _highestSeq = seq;
        }

        return result;
    }

    /// <summary>
    /// Takes the frame due at this tick. On <see cref="JitterGetResult.Frame"/>, <paramref name="destination"/> holds
    /// <paramref name="length"/> payload bytes and <paramref name="timestamp"/> their RTP timestamp.
    /// </summary>
    public JitterGetResult TryGet(Span<byte> destination, out int length, out uint timestamp)
    {
        length = 0;
        timestamp = 0;
        if (!_playing)
        {
            if (_count == 0 || Span() < TargetDepthFrames)
            {
                return JitterGetResult.Buffering;
            }

            _playing = true;
        }

        var slot = _nextSeq % Capacity;
        JitterGetResult result;
        if (_occupied[slot] && _seqs[slot] == _nextSeq)
        {
            length = Math.Min(_lengths[slot], destination.Length);
            _data.AsSpan(slot * _slotSize, length).CopyTo(destination);
            timestamp = _timestamps[slot];
            if (_lastWasFrame && timestamp - _lastPlayedTimestamp is > 0 and <= 4800)
            {
                _frameTimestampUnits = timestamp - _lastPlayedTimestamp; // learn the packet duration
            }

            _lastPlayedTimestamp = timestamp;
            _havePlayed = true;
            _lastWasFrame = true;
            _occupied[slot] = false;
            _count--;
            _nextSeq++;
            result = JitterGetResult.Frame;
        }
        else if (_count == 0)
        {
            // Underrun: nothing left to play. Re-buffer; Put decides whether it was jitter.
            Underruns++;
            _playing = false;
            _underrun = true;
            _lastWasFrame = false;
            _stableTicks = 0;
            return JitterGetResult.Missing;
        }
        else
        {
            _lastWasFrame = false;
            Lost++;
            _nextSeq++;
            result = JitterGetResult.Missing;
        }

        Adapt();
        return result;
    }

    /// <summary>
    /// The payload of the frame that the next <see cref="TryGet"/> will return, without taking it: right after
    /// <see cref="TryGet"/> said <see cref="JitterGetResult.Missing"/>, the packet after the lost one, whose redundancy
    /// (Opus in-band FEC, RFC 6716 §2.1.7) can rebuild it. The span aliases the buffer's slot: use it before the next
    /// <see cref="Put"/>. False when that packet is not here (yet) or playout has not started.
    /// </summary>
    public bool TryPeekNext(out ReadOnlySpan<byte> payload)
    {
        var slot = _nextSeq % Capacity;
        if (!_playing || !_occupied[slot] || _seqs[slot] != _nextSeq)
        {
            payload = default;
            return false;
        }

        payload = _data.AsSpan(slot * _slotSize, _lengths[slot]);
        return true;
    }

    /// <summary>Largest payload a slot holds [bytes]; larger packets are refused (<see cref="JitterPutResult.TooLarge"/>).</summary>
    public int SlotSize => _slotSize;

    /// <summary>Drops everything, keeps counters and the learned target depth.</summary>
    public void Flush()
    {
        Array.Clear(_occupied);
        _count = 0;
        _lastWasFrame = false;
        _underrun = false;
        _playing = false;
        _excessTicks = 0;
    }

    /// <summary>Forgets the stream (SSRC too), e.g. when the session is reconfigured.</summary>
    public void Reset()
    {
        Flush();
        _hasSsrc = false;
        _havePlayed = false;
        _lastWasFrame = false;
        _underrun = false;
    }

    /// <summary>As new: no stream, default target depth, counters at zero (for reuse by another session).</summary>
    public void Clear()
    {
        Reset();
        TargetDepthFrames = Math.Max(MinDepthFrames, 2);
        _stableTicks = 0;
        _lastPlayedTimestamp = 0;
        _frameTimestampUnits = 160;
        Late = Duplicates = Lost = Underruns = Discarded = Resyncs = SsrcChanges = 0;
    }

    private int Span() => _count == 0 ? 0 : (ushort)(_highestSeq - _nextSeq) + 1;

    private void Adapt()
    {
        if (Span() > TargetDepthFrames + 1)
        {
            if (++_excessTicks >= ExcessTicksBeforeDrop)
            {
                // Latency crept up (e.g. after a burst): skip the oldest frame.
                _excessTicks = 0;
                var slot = _nextSeq % Capacity;
                if (_occupied[slot] && _seqs[slot] == _nextSeq)
                {
                    _occupied[slot] = false;
                    _count--;
                }

                _nextSeq++;
                Discarded++;
            }
        }
        else
        {
            _excessTicks = 0;
        }

        if (++_stableTicks >= StableTicksBeforeShrink)
        {
            _stableTicks = 0;
            TargetDepthFrames = Math.Max(MinDepthFrames, TargetDepthFrames - 1);
        }
    }
}
