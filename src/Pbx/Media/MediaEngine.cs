using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Media.Loop;

namespace Telephony.Pbx.Media;

/// <summary>
/// The RTP media engine (RFC 3550 sessions, RFC 4733 DTMF, G.711 transcoding): a pool of paced 20 ms media loops, one
/// thread each, and the RTP/RTCP port range. The call layer creates one <see cref="RtpSession"/> per call leg; legs
/// that are bridged must share a loop (<c>sameLoopAs</c>). See <c>Media/README.md</c> for the real-time design.
/// </summary>
public sealed class MediaEngine : IAsyncDisposable
{
    private readonly PortAllocator _ports;
    private readonly MediaLoopPool _pool;
    private readonly ILogger _logger;
    private int _disposed;

    public MediaEngine(MediaEngineOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PortMin < 1 || options.PortMax > 65535 || options.PortMax <= options.PortMin)
        {
            throw new ArgumentException($"Invalid RTP port range {options.PortMin}-{options.PortMax}", nameof(options));
        }

        Options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<MediaEngine>();
        Time = time ?? TimeProvider.System;
        _ports = new PortAllocator(options.BindAddress, options.PortMin, options.PortMax);
        _pool = new MediaLoopPool(options.LoopCount, Time, loggerFactory, options.BindAddress.AddressFamily,
            options.LoopThreadNice);
    }

    public MediaEngineOptions Options { get; }

    internal TimeProvider Time { get; }
    internal IReadOnlyList<MediaLoop> Loops => _pool.Loops;

    /// <summary>Starts the paced loops (one thread per loop).</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _pool.Start();
        _logger.LogInformation("Media engine started: {Loops} loops, RTP ports {Min}-{Max} on {Address}",
            _pool.Loops.Count, Options.PortMin, Options.PortMax, Options.BindAddress);
    }

    /// <summary>
    /// Allocates an even RTP port and the RTCP port above it, binds both, and puts the session on a loop (round-robin,
    /// or the loop of <paramref name="sameLoopAs"/>). Throws <see cref="MediaPortsExhaustedException"/> when the
    /// range is full.
    /// </summary>
    public RtpSession CreateSession(string callId, RtpSession? sameLoopAs = null)
    {
        ArgumentNullException.ThrowIfNull(callId);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var loop = sameLoopAs?.Loop ?? _pool.NextLoop();
        var (rtp, rtcp, port) = _ports.Allocate();
        var session = new RtpSession(this, loop, callId, rtp, rtcp, port);
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
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        _pool.Stop();
        foreach (var loop in _pool.Loops)
        {
            foreach (var session in loop.SnapshotSessions())
            {
                try
                {
                    session.Close();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    _logger.LogDebug(e, "Closing session {CallId}", session.CallId);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Runs one tick on every loop; for tests that drive time by hand.</summary>
    internal void TickAll(long now)
    {
        var loops = _pool.Loops;
        for (var i = 0; i < loops.Count; i++)
        {
            loops[i].Tick(now);
        }
    }

    internal void ReleasePort(int port) => _ports.Release(port);
}
