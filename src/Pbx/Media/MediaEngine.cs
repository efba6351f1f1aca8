using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Media.Loop;
using Telephony.Pbx.Media.Transport;

namespace Telephony.Pbx.Media;

/// <summary>
/// The RTP media engine (RFC 3550 sessions, RFC 4733 DTMF, G.711 transcoding): a pool of paced 20 ms media loops and
/// the <see cref="IMediaTransport"/> that sessions get their RTP/RTCP channels from (UDP sockets over a port range by
/// default). The call layer creates one <see cref="RtpSession"/> per call leg; legs that are bridged must share a
/// loop (<c>sameLoopAs</c>). See <c>Media/README.md</c> for the real-time design.
/// </summary>
public sealed class MediaEngine : IAsyncDisposable
{
    private readonly IMediaTransport _transport;
    private readonly MediaLoopPool _pool;
    private readonly ILogger _logger;
    private readonly long _periodTicks;
    private ITimer? _pacer;
    private long _nextTick;
    private int _ticking;
    private int _disposed;

    public MediaEngine(MediaEngineOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<MediaEngine>();
        Time = time ?? TimeProvider.System;
        _periodTicks = Time.TimestampFrequency * MediaLoop.FrameMs / 1000;
        _transport = options.Transport ?? new UdpMediaTransport(options.BindAddress, options.PortMin, options.PortMax);
        _pool = new MediaLoopPool(options.LoopCount, Time, loggerFactory, _transport, options.LoopThreadNice);
    }

    public MediaEngineOptions Options { get; }

    internal TimeProvider Time { get; }
    internal IReadOnlyList<MediaLoop> Loops => _pool.Loops;

    /// <summary>
    /// Starts ticking as <see cref="MediaEngineOptions.Pacing"/> says: one thread per loop, a periodic timer of the
    /// engine's <see cref="TimeProvider"/>, or nothing (<see cref="MediaPacing.Manual"/>: call <see cref="Tick"/>).
    /// From here on other threads' commands are queued for the next tick.
    /// </summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        switch (Options.Pacing)
        {
            case MediaPacing.LoopThreads:
                _pool.Start();
                break;
            case MediaPacing.TimeProvider:
                _pool.StartDriven();
                _nextTick = Time.GetTimestamp();
                var period = TimeSpan.FromMilliseconds(MediaLoop.FrameMs);
                _pacer = Time.CreateTimer(static s => ((MediaEngine)s!).OnPacer(), this, period, period);
                break;
            default:
                _pool.StartDriven();
                break;
        }

        _logger.LogInformation("Media engine started: {Loops} loops, {Pacing}, transport {Transport}",
            _pool.Loops.Count, Options.Pacing, _transport.GetType().Name);
    }

    /// <summary>
    /// Runs one 20 ms tick of every loop, now (by the engine's <see cref="TimeProvider"/>): queued commands, receive,
    /// decode, render, send, RTCP. For <see cref="MediaPacing.Manual"/> engines, e.g. a test that advances a
    /// FakeTimeProvider by 20 ms and then ticks. Not while loop threads run.
    /// </summary>
    public void Tick()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Options.Pacing == MediaPacing.LoopThreads && _pool.Loops[0].IsRunning)
        {
            throw new InvalidOperationException("The media loops run on their own threads (MediaPacing.LoopThreads).");
        }

        TickAll(Time.GetTimestamp());
    }

    /// <summary>
    /// Allocates an RTP/RTCP channel from the transport and puts the session on a loop (round-robin, or the loop of
    /// <paramref name="sameLoopAs"/>). Throws <see cref="MediaPortsExhaustedException"/> when the range is full.
    /// </summary>
    public RtpSession CreateSession(string callId, RtpSession? sameLoopAs = null)
    {
        ArgumentNullException.ThrowIfNull(callId);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var loop = sameLoopAs?.Loop ?? _pool.NextLoop();
        var session = new RtpSession(this, loop, callId, _transport.Open());
        if (loop.IsRunning)
        {
            loop.Post(() => loop.AddSession(session));
        }
        else
        {
            loop.AddSession(session);
        }

        return session;
    }

    public MediaEngineStats Stats
    {
        get
        {
            long packetsIn = 0, packetsOut = 0, overruns = 0, ticks = 0, totalTicks = 0, maxTicks = 0, errors = 0;
            var dropped = new Dictionary<MediaDropReason, long>();
            var perLoop = new int[_pool.Loops.Count];
            for (var i = 0; i < perLoop.Length; i++)
            {
                var loop = _pool.Loops[i];
                perLoop[i] = loop.SessionCount;
                packetsIn += Volatile.Read(ref loop.PacketsIn);
                packetsOut += Volatile.Read(ref loop.PacketsOut);
                overruns += Volatile.Read(ref loop.TickOverruns);
                ticks += Volatile.Read(ref loop.TickCount);
                totalTicks += Volatile.Read(ref loop.TotalTickTicks);
                maxTicks = Math.Max(maxTicks, Volatile.Read(ref loop.MaxTickTicks));
                errors += Volatile.Read(ref loop.SessionErrors);
                for (var r = 0; r < loop.Dropped.Length; r++)
                {
                    var count = Volatile.Read(ref loop.Dropped[r]);
                    if (count > 0)
                    {
                        dropped[(MediaDropReason)r] = dropped.GetValueOrDefault((MediaDropReason)r) + count;
                    }
                }
            }

            var frequency = (double)Time.TimestampFrequency;
            return new MediaEngineStats(perLoop.Sum(), packetsIn, packetsOut, dropped, overruns,
                TimeSpan.FromSeconds(maxTicks / frequency),
                TimeSpan.FromSeconds(ticks == 0 ? 0 : totalTicks / frequency / ticks),
                perLoop, errors, ticks);
        }
    }

    /// <summary>Stops the loops, then closes every remaining session (RTCP BYE, ports released).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_pacer is not null)
        {
            await _pacer.DisposeAsync().ConfigureAwait(false);
            while (Volatile.Read(ref _ticking) != 0)
            {
                await Task.Yield(); // a tick already running on the timer's thread finishes first
            }
        }

        _pool.Stop();
        foreach (var loop in _pool.Loops)
        {
            foreach (var session in loop.SnapshotSessions())
            {
                session.Close();
            }
        }
    }

    /// <summary>Runs one tick on every loop at <paramref name="now"/>; for tests that drive time by hand.</summary>
    internal void TickAll(long now)
    {
        var loops = _pool.Loops;
        for (var i = 0; i < loops.Count; i++)
        {
            loops[i].Tick(now);
        }
    }

    /// <summary>
    /// <see cref="MediaPacing.TimeProvider"/>: one tick per timer period, at its deadline; a callback that finds the
    /// previous one still running skips (a real clock's thread-pool timer may overlap), and a clock far ahead skips
    /// forward instead of bursting.
    /// </summary>
    private void OnPacer()
    {
        if (Interlocked.Exchange(ref _ticking, 1) != 0)
        {
            return;
        }

        try
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            var now = Time.GetTimestamp();
            _nextTick += _periodTicks;
            if (now - _nextTick > 5 * _periodTicks || _nextTick > now)
            {
                _nextTick = now;
            }

            TickAll(_nextTick);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Media tick failed");
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }
}
