using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Telephony.Pbx.Media.Codecs;
using Telephony.Pbx.Media.Dtmf;
using Telephony.Pbx.Media.Loop;
using Telephony.Pbx.Media.Session;
using Telephony.Pbx.Media.Transport;

namespace Telephony.Pbx.Media;

/// <summary>
/// One RTP/RTCP session (RFC 3550) of a call leg, owned by one media loop. It is assembled from parts with one
/// concern each (see <c>Media/README.md</c>): <see cref="RtpIo"/> (the <see cref="IRtpChannel"/>, the
/// <see cref="IRtpTransform"/> and symmetric RTP), <see cref="RtpReceiver"/> (jitter buffer, decoding, receive
/// statistics, RTP timeout), <see cref="SessionDtmf"/> (RFC 4733 and in-band DTMF both ways), <see cref="RtcpReporter"/>
/// (RFC 3550 §6 reports) and <see cref="RtpSender"/> (our stream's SSRC, sequence and timestamps); the codec is an
/// <see cref="IAudioFrameCodec"/>. Public methods may be called from any thread: they post commands that the loop
/// applies at its next tick. All media state is touched by the loop thread only. Events are raised on the thread pool.
/// </summary>
public sealed partial class RtpSession : IDisposable
{
    /// <summary>Consecutive packets from a new source address before sending switches to it (symmetric RTP).</summary>
    public const int LatchAfterPackets = RtpIo.LatchAfterPackets;

    private readonly long _timeoutTicks;
    private readonly RtpIo _io;
    private readonly RtpReceiver _receiver;
    private readonly SessionDtmf _dtmf = new();
    private readonly RtcpReporter _rtcp;
    private readonly RtpSender _sender = new();
    private int _disposed;
    private int _transportFailed;
    private volatile bool _closed;

    // Negotiated parameters (applied on the loop).
    private bool _configured;
    private IAudioFrameCodec _codec = G711FrameCodec.MuLaw;
    private byte _payloadType;
    private int _telephoneEventPt = -1;
    private int _alternateTelephoneEventPt = -1; // a second telephone-event PT accepted on receive (the other clock)
    private MediaDirection _direction;
    private RtpSessionParameters? _parameters;
    private MediaSource _source = SilenceSource.Instance;
    private ConcurrentQueue<char>? _digits;
    private int _digitsScheduled;

    internal RtpSession(MediaEngine engine, MediaLoop loop, string callId, IRtpChannel channel)
    {
        Loop = loop;
        CallId = callId;
        _io = new RtpIo(channel, loop, RaiseTransportFailed);
        _receiver = new RtpReceiver(loop);
        LocalRtpPort = channel.LocalEndPoint.Port;
        LocalRtcpPort = channel.LocalRtcpPort;
        _timeoutTicks = (long)(engine.Options.RtpTimeout.TotalSeconds * loop.Time.TimestampFrequency);
        var cname = Encoding.UTF8.GetBytes($"{LocalRtpPort}.{_sender.Ssrc:x8}@{Environment.MachineName}");
        _rtcp = new RtcpReporter(loop.Time, engine.Options.RtcpInterval, cname);
    }

    public string CallId { get; }
    public int LocalRtpPort { get; }
    public int LocalRtcpPort { get; }

    /// <summary>Our SSRC.</summary>
    public uint Ssrc => _sender.Ssrc;

    /// <summary>
    /// RFC 4733 digit received or in-band digit detected; raised on the thread pool, never on the media loop.
    /// </summary>
    public event Action<RtpSession, char>? DigitReceived;

    /// <summary>
    /// No RTP received for <see cref="MediaEngineOptions.RtpTimeout"/> while the peer is expected to send (the stream
    /// is sendrecv; a peer that holds with sendonly, recvonly or inactive is not timed out); raised on the pool.
    /// </summary>
    public event Action<RtpSession>? RtpTimedOut;

    /// <summary>
    /// The session's transport failed for good (a WebRTC leg: ICE consent lost, RFC 7675 §5.1, or DTLS failed or was
    /// closed by the peer); the text says why. Raised once, on the thread pool; the call hangs up.
    /// </summary>
    public event Action<RtpSession, string>? TransportFailed;

    internal MediaLoop Loop { get; }

    /// <summary>Token of this session in its loop's readiness poller (set by the loop).</summary>
    internal int PollToken { get; set; } = -1;

    internal IRtpChannel Channel => _io.Channel;

    /// <summary>The codec in use (loop thread; tests read it between manual ticks).</summary>
    internal IAudioFrameCodec Codec => _codec;
    internal bool IsClosed => _closed;

    /// <summary>Decoded PCM received this tick (silence or concealment when nothing arrived).</summary>
    internal short[] InputFrame => _receiver.InputFrame;

    /// <summary>PCM rendered for sending this tick.</summary>
    internal short[] OutputFrame { get; } = new short[MediaLoop.SamplesPerFrame];

    /// <summary>
    /// Whether the in-band (Goertzel) detector runs on the decoded audio when no telephone-event was negotiated (true by
    /// default). A call kind that acts on no digit turns it off: on an echo call it was 4-9 % of the server's CPU at high
    /// setup rates, for a log line. RFC 4733 events are received either way.
    /// </summary>
    public bool DetectsInBandDigits
    {
        get => Volatile.Read(ref _detectsInBandDigits);
        set => Volatile.Write(ref _detectsInBandDigits, value);
    }

    private bool _detectsInBandDigits = true;

    /// <summary>The in-band detector runs on the decoded audio: no telephone-event negotiated and detection on.</summary>
    private bool RunsInBandDetection => _telephoneEventPt < 0 && _detectsInBandDigits;

    /// <summary>RFC 4733 digit that started this tick, for bridges to forward; '\0' otherwise.</summary>
    internal char TelephoneEventDigitThisTick => _dtmf.TelephoneEventDigitAt(Loop.TickCount);

    /// <summary>Applies (re)negotiated parameters from the next tick on (re-INVITE, hold and resume included).</summary>
    public void Configure(RtpSessionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)parameters.PayloadType, 127u, nameof(parameters));
        var remote = _io.ToSocketAddress(parameters.Remote);
        var rtcpRemote = _io.ToSocketAddress(new IPEndPoint(parameters.Remote.Address, parameters.Remote.Port + 1));
        Post(() => ApplyConfiguration(parameters, remote, rtcpRemote));
    }

    /// <summary>
    /// Counts the RTP timeout (<see cref="MediaEngineOptions.RtpTimeout"/>) from now: the call answered the peer, which
    /// sends media from its 200 OK on. A caller whose session was configured at its INVITE and who then heard ringing
    /// for a minute must not be cut as "no RTP" right after the answer.
    /// </summary>
    public void RestartRtpTimeout() => Post(() => _receiver.RestartTimeout(Loop.Time.GetTimestamp()));

    /// <summary>Sets what this session sends from the next tick on.</summary>
    public void SetSource(MediaSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Post(() => _source = source);
    }

    /// <summary>
    /// Installs the layer between the channel and RTP parsing (SRTP, or the WebRTC demux/ICE/DTLS/SRTP stack) from
    /// the next tick on; <see cref="PlainRtpTransform.Instance"/> goes back to plain RTP. The previous transform is
    /// detached on the loop.
    /// </summary>
    public void SetTransform(IRtpTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        if (transform.MaxOverheadBytes > MediaLoop.SendBufferSlackBytes)
        {
            throw new ArgumentException(
                $"A transform may add at most {MediaLoop.SendBufferSlackBytes} bytes per packet", nameof(transform));
        }

        Post(() => _io.SetTransform(transform));
    }

    /// <summary>Sends a DTMF digit: RFC 4733 events when telephone-event was negotiated, else an in-band tone pair.</summary>
    public void SendDtmf(char digit, int durationMs = 160)
    {
        if (!DtmfDigits.IsValid(digit))
        {
            throw new ArgumentException($"'{digit}' is not a DTMF digit (0-9 * # A-D)", nameof(digit));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(durationMs, 40);
        Post(() => _dtmf.Queue(digit, durationMs));
    }

    public RtpSessionStats GetStats() => new(
        Volatile.Read(ref _sender.PacketsSent),
        Volatile.Read(ref _sender.OctetsSent),
        Volatile.Read(ref _receiver.PacketsReceived),
        Volatile.Read(ref _receiver.OctetsReceived),
        Math.Max(0, _receiver.Statistics.CumulativeLost),
        _receiver.Statistics.JitterMs,
        Volatile.Read(ref _receiver.LatePackets),
        Volatile.Read(ref _receiver.DuplicatePackets),
        _rtcp.RemoteFractionLost / 256.0,
        _rtcp.RemoteCumulativeLost,
        _rtcp.RemoteJitter * 1000.0 / _codec.ClockRateHz,
        Volatile.Read(ref _rtcp.ReportsSent),
        Volatile.Read(ref _rtcp.ReportsReceived));

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

    /// <summary>Loop thread (or shutdown): BYE, remove from the loop, release the channel.</summary>
    internal void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        SendRtcpReport(Loop.Time.GetTimestamp(), bye: true);
        Loop.RemoveSession(this);
        _io.Close();
        _codec.Dispose();
        _receiver.Release();
    }

    /// <summary>Loop thread: switch source (prompt finished).</summary>
    internal void SetSourceFromLoop(MediaSource source) => _source = source;

    /// <summary>Loop thread: what this session sends now.</summary>
    internal MediaSource CurrentSource => _source;

    /// <summary>Loop thread: forward a digit from a bridged peer.</summary>
    internal void QueueDigitFromLoop(char digit) => _dtmf.Queue(digit, 100);

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
        if (_parameters is null || parameters.Codec != _parameters.Codec)
        {
            _codec.Dispose();
            _codec = AudioFrameCodecs.Create(parameters.Codec, parameters.Opus);
            _receiver.UseCodec(_codec);
            _dtmf.UseClockRate(_codec.ClockRateHz);
        }

        _parameters = parameters;
        _payloadType = (byte)parameters.PayloadType;
        _telephoneEventPt = parameters.TelephoneEventPayloadType ?? -1;
        _alternateTelephoneEventPt = parameters.AlternateTelephoneEventPayloadType ?? -1;
        if (RunsInBandDetection)
        {
            _dtmf.PrepareInBandDetection();
        }

        _direction = parameters.Direction;
        if (remoteChanged)
        {
            _io.SetSignalledRemote(remote, rtcpRemote);
        }

        var now = Loop.Time.GetTimestamp();
        if (!_configured)
        {
            _configured = true;
            _rtcp.Start(now);
        }

        _receiver.RestartTimeout(now);
    }

    /// <summary>
    /// Loop thread: hands a digit to <see cref="DigitReceived"/> on the thread pool, in order: one work item at a time
    /// per session drains the digits queued so far (two work items per digit could run at once and swap them).
    /// </summary>
    private void RaiseDigit(char digit)
    {
        if (DigitReceived is null)
        {
            return;
        }

        (_digits ??= new ConcurrentQueue<char>()).Enqueue(digit);
        if (Interlocked.Exchange(ref _digitsScheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.DeliverDigits(), this, preferLocal: false);
        }
    }

    private void DeliverDigits()
    {
        var digits = _digits!;
        while (true)
        {
            while (digits.TryDequeue(out var digit))
            {
                DigitReceived?.Invoke(this, digit);
            }

            Volatile.Write(ref _digitsScheduled, 0);
            if (digits.IsEmpty || Interlocked.Exchange(ref _digitsScheduled, 1) != 0)
            {
                return;
            }
        }
    }

    private void RaiseTransportFailed(string reason)
    {
        if (Interlocked.Exchange(ref _transportFailed, 1) != 0 || _closed)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Session.TransportFailed?.Invoke(s.Session, s.Reason),
            (Session: this, Reason: reason), preferLocal: false);
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
