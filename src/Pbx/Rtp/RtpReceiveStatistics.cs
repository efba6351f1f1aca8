namespace Telephony.Pbx.Rtp;

/// <summary>
/// Per-source receive bookkeeping from RFC 3550 Appendix A: sequence validation with probation and 16-bit wrap
/// (§A.1), cumulative and interval fraction loss (§A.3) and interarrival jitter (§A.8). A new SSRC restarts the
/// state. Mutated only by the owning media loop; no allocation.
/// </summary>
public sealed class RtpReceiveStatistics
{
    /// <summary>Consecutive packets required before a new source is valid (§A.1 MIN_SEQUENTIAL).</summary>
    public const int MinSequential = 2;

    /// <summary>Largest forward jump accepted without probation (§A.1 MAX_DROPOUT).</summary>
    public const int MaxDropout = 3000;

    /// <summary>Largest backward jump treated as reordering (§A.1 MAX_MISORDER).</summary>
    public const int MaxMisorder = 100;

    private const uint SeqMod = 1 << 16;

    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private uint _badSeq;
    private int _probation;
    private uint _expectedPrior;
    private uint _receivedPrior;
    private long _transit;
    private bool _haveTransit;
    private double _jitter;

    public RtpReceiveStatistics(int clockRateHz = 8000)
    {
        ClockRateHz = clockRateHz;
    }

    public int ClockRateHz { get; }

    /// <summary>Whether any packet was seen since the last reset.</summary>
    public bool HasSource { get; private set; }

    /// <summary>SSRC of the current source.</summary>
    public uint Ssrc { get; private set; }

    /// <summary>Packets accepted as valid (§A.3 received).</summary>
    public uint Received { get; private set; }

    /// <summary>Number of times the source changed SSRC.</summary>
    public int SsrcChanges { get; private set; }

    /// <summary>Extended highest sequence number received (cycles + max_seq).</summary>
    public uint ExtendedHighestSequence => _cycles + _maxSeq;

    /// <summary>Packets expected (§A.3).</summary>
    public uint Expected => HasSource && Received > 0 ? ExtendedHighestSequence - _baseSeq + 1 : 0;

    /// <summary>Cumulative packets lost, clamped to the signed 24-bit range of a report block (§A.3).</summary>
    public int CumulativeLost
    {
        get
        {
            var lost = (long)Expected - Received;
            return (int)Math.Clamp(lost, -0x800000, 0x7FFFFF);
        }
    }

    /// <summary>Interarrival jitter estimate in timestamp units (§A.8).</summary>
    public uint Jitter => (uint)_jitter;

    /// <summary>Interarrival jitter in milliseconds.</summary>
    public double JitterMs => _jitter * 1000.0 / ClockRateHz;

    /// <summary>
    /// Feeds one packet. <paramref name="arrivalTimestampUnits"/> is the arrival time expressed in RTP clock units
    /// (any origin). Returns false while on probation or when the sequence number is rejected as a big jump.
    /// </summary>
    public bool Update(uint ssrc, ushort seq, uint rtpTimestamp, long arrivalTimestampUnits)
    {
        if (!HasSource || ssrc != Ssrc)
        {
            if (HasSource)
            {
                SsrcChanges++;
            }

            HasSource = true;
            Ssrc = ssrc;
            InitSequence(seq);
            _maxSeq = (ushort)(seq - 1);
            _probation = MinSequential;
            _haveTransit = false;
            _jitter = 0;
            Received = 0;
            _expectedPrior = 0;
            _receivedPrior = 0;
        }

        if (!UpdateSequence(seq))
        {
            return false;
        }

        UpdateJitter(rtpTimestamp, arrivalTimestampUnits);
        return true;
    }

    /// <summary>
    /// Fraction lost since the previous call, as the 8-bit fixed-point value of a report block (§A.3); starts a new
    /// reporting interval.
    /// </summary>
    public byte TakeFractionLost()
    {
        var expected = Expected;
        var expectedInterval = expected - _expectedPrior;
        _expectedPrior = expected;
        var receivedInterval = Received - _receivedPrior;
        _receivedPrior = Received;
        var lostInterval = (long)expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0)
        {
            return 0;
        }

        return (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
    }

    /// <summary>Forgets the source entirely.</summary>
    public void Reset()
    {
        HasSource = false;
        Received = 0;
        _jitter = 0;
        _haveTransit = false;
    }

    private void InitSequence(ushort seq)
    {
        _baseSeq = seq;
        _maxSeq = seq;
        _badSeq = SeqMod + 1; // so seq == bad_seq is false
        _cycles = 0;
        Received = 0;
        _receivedPrior = 0;
        _expectedPrior = 0;
    }

    private bool UpdateSequence(ushort seq)
    {
        var udelta = (ushort)(seq - _maxSeq);
        if (_probation > 0)
        {
            // Packet is in sequence: continue probation, else restart it.
            if (seq == (ushort)(_maxSeq + 1))
            {
                _probation--;
                _maxSeq = seq;
                if (_probation == 0)
                {
                    InitSequence((ushort)(seq - (MinSequential - 1)));
                    _maxSeq = seq;
                    Received += MinSequential;
                    return true;
                }
            }
            else
            {
                _probation = MinSequential - 1;
                _maxSeq = seq;
            }

            return false;
        }

        if (udelta < MaxDropout)
        {
            // In order, with permissible gap.
            if (seq < _maxSeq)
            {
                _cycles += SeqMod; // sequence number wrapped
            }

            _maxSeq = seq;
        }
        else if (udelta <= SeqMod - MaxMisorder)
        {
            // The sequence number made a very large jump.
            if (seq == _badSeq)
            {
                // Two sequential packets: assume the other side restarted without telling us.
                InitSequence(seq);
            }
            else
            {
                _badSeq = (uint)((seq + 1) & (SeqMod - 1));
                return false;
            }
        }

        // else: duplicate or reordered packet, counted as received.
        Received++;
        return true;
    }

    private void UpdateJitter(uint rtpTimestamp, long arrival)
    {
        // transit = arrival - timestamp, in timestamp units; wrap-safe through 32-bit subtraction.
        var transit = (long)(int)((uint)arrival - rtpTimestamp);
        if (_haveTransit)
        {
            var d = Math.Abs(transit - _transit);
            _jitter += (d - _jitter) / 16.0;
        }

        _transit = transit;
        _haveTransit = true;
    }
}
