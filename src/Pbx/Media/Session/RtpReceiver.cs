using Telephony.Pbx.Media.Codecs;
using Telephony.Pbx.Media.JitterBuffer;
using Telephony.Pbx.Media.Loop;
using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Media.Session;

/// <summary>
/// The receive side of a session: RFC 3550 §A.3/§A.8 statistics of the incoming stream, the adaptive jitter buffer,
/// one decoded 20 ms frame per tick (<see cref="InputFrame"/>; a missing frame is rebuilt from the next packet's
/// FEC data when the codec has it, else concealed, for up to three frames, then silence), and the RTP timeout: how
/// long since the peer last sent media. Loop thread only; no allocation per packet.
/// </summary>
internal sealed class RtpReceiver
{
    private const int MaxConcealedFrames = 3;

    private readonly MediaLoop _loop;
    private AdaptiveJitterBuffer? _jitterBuffer = JitterBufferPool.Rent();
    private RtpReceiveStatistics _statistics = new();
    private int _concealedFrames;
    private long _lastMediaAt;
    private bool _timedOut;

    // Counters (written by the loop, read by any thread through Volatile).
    public long PacketsReceived;
    public long OctetsReceived;
    public long LatePackets;
    public long DuplicatePackets;

    public RtpReceiver(MediaLoop loop) => _loop = loop;

    /// <summary>Decoded PCM received this tick (silence or concealment when nothing arrived).</summary>
    public short[] InputFrame { get; } = new short[MediaLoop.SamplesPerFrame];

    public RtpReceiveStatistics Statistics => _statistics;

    /// <summary>Counts the RTP timeout from <paramref name="now"/> (configured, resumed) and re-arms it.</summary>
    public void RestartTimeout(long now)
    {
        _lastMediaAt = now;
        _timedOut = false;
    }

    /// <summary>
    /// A codec change (rare, allocates): statistics in the codec's RTP clock rate, jitter-buffer slots big enough for
    /// its packets (1275 bytes for Opus).
    /// </summary>
    public void UseCodec(IAudioFrameCodec codec)
    {
        if (_statistics.ClockRateHz != codec.ClockRateHz)
        {
            _statistics = new RtpReceiveStatistics(codec.ClockRateHz);
        }

        if (_jitterBuffer!.SlotSize < codec.MaxPayloadBytes)
        {
            _jitterBuffer = new AdaptiveJitterBuffer(slotSize: codec.MaxPayloadBytes);
        }
    }

    /// <summary>Comfort noise (RFC 3389) or an RFC 4733 event: the peer is alive, nothing to play.</summary>
    public void KeepAlive(long now)
    {
        _lastMediaAt = now;
        _timedOut = false;
    }

    /// <summary>Updates statistics for any accepted packet of the stream (audio or telephone-event).</summary>
    public void Count(in RtpHeader header, int payloadLength, long now)
    {
        KeepAlive(now);
        PacketsReceived++;
        OctetsReceived += payloadLength;
        _statistics.Update(header.Ssrc, header.SequenceNumber, header.Timestamp, ToRtpUnits(now));
    }

    /// <summary>Stores an audio payload in the jitter buffer; drops are counted.</summary>
    public void Buffer(in RtpHeader header, ReadOnlySpan<byte> payload)
    {
        switch (_jitterBuffer!.Put(header.SequenceNumber, header.Timestamp, header.Ssrc, payload))
        {
            case JitterPutResult.Late:
                LatePackets++;
                _loop.CountDrop(MediaDropReason.JitterLate);
                break;
            case JitterPutResult.Duplicate:
                DuplicatePackets++;
                _loop.CountDrop(MediaDropReason.JitterDuplicate);
                break;
            case JitterPutResult.TooLarge:
                _loop.CountDrop(MediaDropReason.JitterTooLarge);
                break;
        }
    }

    /// <summary>Takes one frame from the jitter buffer and decodes it into <see cref="InputFrame"/>.</summary>
    public void Decode(IAudioFrameCodec codec)
    {
        var input = InputFrame.AsSpan();
        var frame = _loop.FrameBuffer;
        var result = _jitterBuffer!.TryGet(frame, out var length, out _);
        if (result == JitterGetResult.Frame)
        {
            if (codec.Decode(frame.AsSpan(0, length), input))
            {
                _concealedFrames = 0;
                return;
            }

            result = JitterGetResult.Missing;
        }

        if (result == JitterGetResult.Missing && _concealedFrames < MaxConcealedFrames)
        {
            _concealedFrames++;
            if (_jitterBuffer!.TryPeekNext(out var next) && codec.Recover(next, input))
            {
                return; // rebuilt from the next packet's redundancy (Opus FEC)
            }

            if (!codec.Conceal(input))
            {
                // Repeat the previous frame at half amplitude each time.
                for (var i = 0; i < input.Length; i++)
                {
                    input[i] = (short)(input[i] >> 1);
                }
            }

            return;
        }

        input.Clear();
    }

    /// <summary>The session closed (loop thread): its jitter buffer goes back to the pool for the next session.</summary>
    public void Release()
    {
        if (_jitterBuffer is { } buffer)
        {
            _jitterBuffer = null;
            JitterBufferPool.Return(buffer);
        }
    }

    /// <summary>Not receiving (held, inactive, not configured): the input is silence.</summary>
    public void Silence() => InputFrame.AsSpan().Clear();

    /// <summary>True once when nothing came for longer than <paramref name="timeoutTicks"/> (0 = never).</summary>
    public bool CheckTimeout(long now, long timeoutTicks)
    {
        if (_timedOut || timeoutTicks <= 0 || now - _lastMediaAt <= timeoutTicks)
        {
            return false;
        }

        _timedOut = true;
        return true;
    }

    private long ToRtpUnits(long timestamp)
    {
        var frequency = _loop.Time.TimestampFrequency;
        var rate = _statistics.ClockRateHz;
        return (timestamp / frequency * rate) + (timestamp % frequency * rate / frequency);
    }
}
