using System.Net;
using System.Net.Sockets;
using System.Text;
using Telephony.Pbx.Media.Dtmf;
using Telephony.Pbx.Media.JitterBuffer;
using Telephony.Pbx.Media.Loop;
using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Media;

/// <summary>
/// One RTP/RTCP session (RFC 3550) of a call leg: an even RTP port and RTCP on the next port, owned by one media loop.
/// Public methods may be called from any thread: they post commands that the loop applies at its next tick. All media
/// state below is touched by the loop thread only. Events are raised on the thread pool.
/// </summary>
public sealed partial class RtpSession : IDisposable
{
    /// <summary>Consecutive packets from a new source address before sending switches to it (symmetric RTP).</summary>
    public const int LatchAfterPackets = 2;

    private const int MaxPendingDigits = 32;

    private readonly MediaEngine _engine;
    private readonly Socket _rtp;
    private readonly Socket _rtcp;
    private readonly long _timeoutTicks;
    private readonly long _rtcpIntervalTicks;
    private int _disposed;
    private volatile bool _closed;

    // Negotiated parameters (applied on the loop).
    private bool _configured;
    private AudioCodec _codec;
    private byte _payloadType;
    private int _telephoneEventPt = -1;
    private MediaDirection _direction;
    private RtpSessionParameters? _parameters;

    // Addresses: where we send RTP/RTCP, and the latching candidate.
    private SocketAddress? _remote;
    private SocketAddress? _rtcpRemote;
    private readonly SocketAddress _candidate;
    private int _candidateCount;

    // Send state.
    private readonly uint _ssrc;
    private ushort _sequence;
    private uint _timestamp;
    private bool _firstPacket = true;
    private MediaSource _source = SilenceSource.Instance;
    private readonly DtmfSender _dtmfSender = new();
    private readonly ToneGenerator _toneGenerator = new();
    private readonly Queue<(char Digit, int DurationMs)> _pendingDigits = new(MaxPendingDigits);

    // Receive state.
    private readonly RtpReceiveStatistics _receiveStatistics = new();
    private readonly AdaptiveJitterBuffer _jitterBuffer = new();
    private readonly DtmfReceiver _dtmfReceiver = new();
    private readonly GoertzelDtmfDetector _dtmfDetector = new();
    private int _concealedFrames;
    private long _lastRtpAt;
    private bool _timedOut;

    // Counters (written by the loop, read by GetStats).
    private long _packetsSent, _octetsSent, _packetsReceived, _octetsReceived, _late, _duplicates;
    private long _rtcpSent, _rtcpReceived;
    private byte _remoteFractionLost;
    private int _remoteCumulativeLost;
    private uint _remoteJitter;
    private uint _lastSrCompact;
    private long _lastSrAt;
    private long _nextRtcpAt;

    internal RtpSession(MediaEngine engine, MediaLoop loop, string callId, Socket rtp, Socket rtcp, int port)
    {
        _engine = engine;
        Loop = loop;
        CallId = callId;
        _rtp = rtp;
        _rtcp = rtcp;
        LocalRtpPort = port;
        RtpFd = (int)rtp.SafeHandle.DangerousGetHandle();
        RtcpFd = (int)rtcp.SafeHandle.DangerousGetHandle();
        _candidate = new SocketAddress(rtp.AddressFamily);
        _ssrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        _sequence = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        _timestamp = (uint)Random.Shared.NextInt64(uint.MaxValue + 1L);
        var frequency = loop.Time.TimestampFrequency;
        _timeoutTicks = (long)(engine.Options.RtpTimeout.TotalSeconds * frequency);
        _rtcpIntervalTicks = (long)(engine.Options.RtcpInterval.TotalSeconds * frequency);
        Cname = Encoding.UTF8.GetBytes($"{port}.{_ssrc:x8}@{Environment.MachineName}");
    }

    public string CallId { get; }
    public int LocalRtpPort { get; }
    public int LocalRtcpPort => LocalRtpPort + 1;

    /// <summary>Our SSRC.</summary>
    public uint Ssrc => _ssrc;

    /// <summary>
    /// RFC 4733 digit received or in-band digit detected; raised on the thread pool, never on the media loop.
    /// </summary>
    public event Action<RtpSession, char>? DigitReceived;

    /// <summary>No RTP received for <see cref="MediaEngineOptions.RtpTimeout"/> while receiving; raised on the pool.</summary>
    public event Action<RtpSession>? RtpTimedOut;

    internal MediaLoop Loop { get; }

    /// <summary>File descriptors of the RTP and RTCP sockets, for the loop's epoll set (stable while open).</summary>
    internal int RtpFd { get; }
    internal int RtcpFd { get; }
    internal bool IsClosed => _closed;
    internal byte[] Cname { get; }

    /// <summary>Decoded PCM received this tick (silence or concealment when nothing arrived).</summary>
    internal short[] InputFrame { get; } = new short[MediaLoop.SamplesPerFrame];

    /// <summary>PCM rendered for sending this tick.</summary>
    internal short[] OutputFrame { get; } = new short[MediaLoop.SamplesPerFrame];

    /// <summary>RFC 4733 digit that started this tick, for bridges to forward; '\0' otherwise.</summary>
    internal char TelephoneEventDigitThisTick { get; private set; }

    /// <summary>Applies (re)negotiated parameters from the next tick on (re-INVITE, hold and resume included).</summary>
    public void Configure(RtpSessionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)parameters.PayloadType, 127u, nameof(parameters));
        var remote = ToSocketAddress(parameters.Remote);
        var rtcpRemote = ToSocketAddress(new IPEndPoint(parameters.Remote.Address, parameters.Remote.Port + 1));
        Post(() => ApplyConfiguration(parameters, remote, rtcpRemote));
    }

    /// <summary>Sets what this session sends from the next tick on.</summary>
    public void SetSource(MediaSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Post(() => _source = source);
    }

    /// <summary>Sends a DTMF digit: RFC 4733 events when telephone-event was negotiated, else an in-band tone pair.</summary>
    public void SendDtmf(char digit, int durationMs = 160)
    {
        if (!DtmfDigits.IsValid(digit))
        {
            throw new ArgumentException($"'{digit}' is not a DTMF digit (0-9 * # A-D)", nameof(digit));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(durationMs, 40);
        Post(() => QueueDigit(digit, durationMs));
    }

    public RtpSessionStats GetStats() => new(
        Volatile.Read(ref _packetsSent),
        Volatile.Read(ref _octetsSent),
        Volatile.Read(ref _packetsReceived),
        Volatile.Read(ref _octetsReceived),
        Math.Max(0, _receiveStatistics.CumulativeLost),
        _receiveStatistics.JitterMs,
        Volatile.Read(ref _late),
        Volatile.Read(ref _duplicates),
        _remoteFractionLost / 256.0,
        _remoteCumulativeLost,
        _remoteJitter * 1000.0 / AudioClip.SampleRateHz,
        Volatile.Read(ref _rtcpSent),
        Volatile.Read(ref _rtcpReceived));

    /// <summary>Sends RTCP BYE, stops the session and releases its ports. Idempotent and thread-safe.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Loop.IsRunning)
        {
            Loop.Post(Close);
        }
        else
        {
            Close();
        }
    }

    /// <summary>Loop thread (or shutdown): BYE, remove from the loop, close sockets, free the ports.</summary>
    internal void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            SendRtcpReport(Loop.Time.GetTimestamp(), bye: true);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // best effort
        }

        Loop.RemoveSession(this);
        _rtp.Dispose();
        _rtcp.Dispose();
        _engine.ReleasePort(LocalRtpPort);
    }

    /// <summary>Loop thread: switch source (prompt finished).</summary>
    internal void SetSourceFromLoop(MediaSource source) => _source = source;

    /// <summary>Loop thread: what this session sends now.</summary>
    internal MediaSource CurrentSource => _source;

    /// <summary>Loop thread: forward a digit from a bridged peer.</summary>
    internal void QueueDigitFromLoop(char digit) => QueueDigit(digit, 100);

    private void QueueDigit(char digit, int durationMs)
    {
        if (_pendingDigits.Count < MaxPendingDigits)
        {
            _pendingDigits.Enqueue((digit, durationMs));
        }
    }

    private void Post(Action command)
    {
        if (_closed)
        {
            return;
        }

        Loop.Post(command);
    }

    private void ApplyConfiguration(RtpSessionParameters parameters, SocketAddress remote, SocketAddress rtcpRemote)
    {
        var remoteChanged = _parameters is null || !parameters.Remote.Equals(_parameters.Remote);
        _parameters = parameters;
        _codec = parameters.Codec;
        _payloadType = (byte)parameters.PayloadType;
        _telephoneEventPt = parameters.TelephoneEventPayloadType ?? -1;
        _direction = parameters.Direction;
        if (remoteChanged)
        {
            _remote = remote;
            _rtcpRemote = rtcpRemote;
            _candidateCount = 0;
        }

        if (!_configured)
        {
            _configured = true;
            _nextRtcpAt = Loop.Time.GetTimestamp() + (_rtcpIntervalTicks / 2);
        }

        _lastRtpAt = Loop.Time.GetTimestamp();
        _timedOut = false;
    }

    private SocketAddress ToSocketAddress(IPEndPoint endPoint)
    {
        if (_rtp.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            endPoint = new IPEndPoint(endPoint.Address.MapToIPv6(), endPoint.Port);
        }

        return endPoint.Serialize();
    }

    private void RaiseDigit(char digit)
    {
        if (DigitReceived is null)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Session.DigitReceived?.Invoke(s.Session, s.Digit),
            (Session: this, Digit: digit), preferLocal: false);
    }

    private void RaiseTimeout()
    {
        if (RtpTimedOut is null)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static s => s.RtpTimedOut?.Invoke(s), this, preferLocal: false);
    }
}
