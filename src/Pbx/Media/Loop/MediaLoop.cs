using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media.Transport;

namespace Telephony.Pbx.Media.Loop;

/// <summary>
/// One real-time media loop owning a set of <see cref="RtpSession"/>s. Every 20 ms (absolute deadlines, no drift)
/// a tick (1) applies commands posted by other threads, (2) reads every datagram its <see cref="IMediaPoller"/>
/// reports into the sessions (jitter buffers, DTMF, RTCP) and decodes one frame per session, and (3) renders, encodes and
/// sends one frame per session, with its RTCP report when due. Three passes over the sessions per tick, no more: each
/// touches every session's state, and at a thousand sessions that memory traffic is part of the tick's cost. Only the
/// thread that ticks touches its sessions' media state, so there are no locks; scratch buffers are allocated once. The ticks come from the loop's own thread
/// (<see cref="Start"/>) or, with <see cref="MediaPacing.TimeProvider"/> or <see cref="MediaPacing.Manual"/>, from
/// the engine (<see cref="MediaEngine.Tick"/>).
/// </summary>
internal sealed class MediaLoop
{
    public const int SamplesPerFrame = 160;
    public const int FrameMs = 20;
    private const int MaxCatchUpTicks = 5;
    private const int MaxReceiveRounds = 4; // datagrams read per socket per tick at most

    /// <summary>Bytes kept free at the end of <see cref="SendBuffer"/> for a transform's trailer (SRTP tag).</summary>
    public const int SendBufferSlackBytes = 64;
    private static readonly long ErrorLogIntervalMs = 5000;

    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _periodTicks;
    private readonly int _threadNice;
    private readonly IMediaPoller _poller;
    private readonly MediaReadiness[] _ready = new MediaReadiness[1024];
    private RtpSession?[] _sessionByToken = new RtpSession?[64];
    private readonly Stack<int> _freeTokens = new();
    private int _nextToken;
    private RtpSession[] _sessions = new RtpSession[16];
    private int _sessionCount;
    private Thread? _thread;
    private volatile bool _running;
    private long _lastErrorLog = long.MinValue;
    private long _errorsSinceLog;

    public MediaLoop(int index, TimeProvider time, ILogger logger, IMediaPoller poller, int threadNice = 0)
    {
        Index = index;
        _threadNice = threadNice;
        _time = time;
        _logger = logger;
        _periodTicks = time.TimestampFrequency * FrameMs / 1000;
        _poller = poller;
    }

    public int Index { get; }
    public TimeProvider Time => _time;
    public ILogger Logger => _logger;

    /// <summary>
    /// True once ticks come from elsewhere than the caller (own thread, or the engine's driver): other threads then
    /// post commands instead of touching the loop's state.
    /// </summary>
    public bool IsRunning => _running;

    // Scratch shared by all sessions of this loop (single thread).
    public byte[] ReceiveBuffer { get; } = new byte[2048];
    public byte[] SendBuffer { get; } = new byte[1500 + SendBufferSlackBytes];
    public byte[] FrameBuffer { get; } = new byte[1500];

    // Counters: written by the loop thread only, read by anyone.
    public long PacketsIn;
    public long PacketsOut;
    public long TickOverruns;
    public long TickCount;
    public long TotalTickTicks;
    public long MaxTickTicks;
    public long SessionErrors;
    public readonly long[] Dropped = new long[Enum.GetValues<MediaDropReason>().Length];
    private int _publishedSessionCount;

    public int SessionCount => Volatile.Read(ref _publishedSessionCount);

    /// <summary>Queues work to run on the loop thread at the start of the next tick.</summary>
    public void Post(Action command) => _commands.Enqueue(command);

    public void Start()
    {
        if (_thread is not null)
        {
            return;
        }

        _running = true;
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = $"media-loop-{Index}",
            Priority = ThreadPriority.AboveNormal,
        };
        _thread.Start();
    }

    /// <summary>Ticks will come from the engine (<see cref="MediaPacing.TimeProvider"/> or <see cref="MediaPacing.Manual"/>).</summary>
    public void StartDriven() => _running = true;

    public void Stop()
    {
        _running = false;
        _thread?.Join(TimeSpan.FromSeconds(2));
        _thread = null;
        RunCommands();
        _poller.Dispose();
    }

    /// <summary>Snapshot of the sessions; for shutdown only.</summary>
    public RtpSession[] SnapshotSessions() => _sessions.AsSpan(0, _sessionCount).ToArray();

    /// <summary>One tick; the loop thread calls it every 20 ms, tests call it directly.</summary>
    internal void Tick(long now)
    {
        var start = _time.GetTimestamp();
        RunCommands();
        var sessions = _sessions;
        var count = _sessionCount;
        ReceiveReady(now);
        for (var i = 0; i < count; i++)
        {
            var s = sessions[i];
            try
            {
                s.DecodePhase(now);
            }
            catch (Exception e)
            {
                OnSessionError(s, e);
            }
        }

        for (var i = 0; i < count; i++)
        {
            var s = sessions[i];
            try
            {
                s.SendPhase(now);
            }
            catch (Exception e)
            {
                OnSessionError(s, e);
            }
        }

        var elapsed = _time.GetTimestamp() - start;
        TickCount++;
        TotalTickTicks += elapsed;
        if (elapsed > MaxTickTicks)
        {
            MaxTickTicks = elapsed;
        }

        if (elapsed > _periodTicks)
        {
            TickOverruns++;
        }
    }

    /// <summary>Adds a session; loop thread (via <see cref="Post"/>) or before start.</summary>
    internal void AddSession(RtpSession session)
    {
        if (_sessionCount == _sessions.Length)
        {
            Array.Resize(ref _sessions, _sessions.Length * 2);
        }

        _sessions[_sessionCount++] = session;
        Volatile.Write(ref _publishedSessionCount, _sessionCount);
        var token = _freeTokens.Count > 0 ? _freeTokens.Pop() : _nextToken++;
        if (token >= _sessionByToken.Length)
        {
            Array.Resize(ref _sessionByToken, _sessionByToken.Length * 2);
        }

        _sessionByToken[token] = session;
        session.PollToken = token;
        _poller.Add(session.Channel, token);
    }

    internal void RemoveSession(RtpSession session)
    {
        var index = Array.IndexOf(_sessions, session, 0, _sessionCount);
        if (index < 0)
        {
            return;
        }

        _sessions[index] = _sessions[_sessionCount - 1];
        _sessions[--_sessionCount] = null!;
        Volatile.Write(ref _publishedSessionCount, _sessionCount);
        var token = session.PollToken;
        if (token >= 0 && ReferenceEquals(_sessionByToken[token], session))
        {
            _poller.Remove(session.Channel, token);
            _sessionByToken[token] = null;
            _freeTokens.Push(token);
            session.PollToken = -1;
        }
    }

    /// <summary>
    /// Reads one datagram from every socket the poller reports ready, up to <see cref="MaxReceiveRounds"/> rounds (a
    /// socket holding more is reported again), so draining costs one read per datagram and nothing for idle sockets.
    /// </summary>
    private void ReceiveReady(long now)
    {
        var ready = _ready.AsSpan();
        for (var round = 0; round < MaxReceiveRounds; round++)
        {
            var n = _poller.Poll(ready);
            if (n == 0)
            {
                return;
            }

            for (var i = 0; i < n; i++)
            {
                var (token, socket) = ready[i];
                var s = (uint)token < (uint)_sessionByToken.Length ? _sessionByToken[token] : null;
                if (s is null)
                {
                    continue;
                }

                try
                {
                    s.ReceiveOne(socket, now);
                }
                catch (Exception e)
                {
                    OnSessionError(s, e);
                }
            }
        }
    }

    internal void CountDrop(MediaDropReason reason) => Dropped[(int)reason]++;

    private void RunCommands()
    {
        while (_commands.TryDequeue(out var command))
        {
            try
            {
                command();
            }
            catch (Exception e)
            {
                SessionErrors++;
                _logger.LogError(e, "Media loop {Loop}: command failed", Index);
            }
        }
    }

    private void OnSessionError(RtpSession session, Exception e)
    {
        SessionErrors++;
        _errorsSinceLog++;
        var nowMs = _time.GetTimestamp() * 1000 / _time.TimestampFrequency;
        if (nowMs - _lastErrorLog >= ErrorLogIntervalMs)
        {
            _logger.LogError(e, "Media loop {Loop}: error in session {CallId} ({Count} errors since last report)",
                Index, session.CallId, _errorsSinceLog);
            _lastErrorLog = nowMs;
            _errorsSinceLog = 0;
        }
    }

    private void Run()
    {
        if (ThreadPriorityBoost.TrySetCurrentThreadNice(_threadNice))
        {
            _logger.LogDebug("Media loop {Loop}: thread nice set to {Nice}", Index, _threadNice);
        }

        var frequency = _time.TimestampFrequency;
        var next = _time.GetTimestamp() + _periodTicks;
        while (_running)
        {
            // Sleep in whole milliseconds until less than 1 ms is left, then tick (at most 1 ms early; deadlines stay
            // absolute, so nothing drifts). No Thread.Yield spin: with a thousand sessions on a busy box every yield
            // is a context switch that the tick itself needs.
            var remaining = next - _time.GetTimestamp();
            while (remaining > 0)
            {
                var remainingMs = remaining * 1000 / frequency;
                if (remainingMs < 1)
                {
                    break;
                }

                Thread.Sleep((int)remainingMs);
                remaining = next - _time.GetTimestamp();
            }

            if (!_running)
            {
                break;
            }

            try
            {
                Tick(next);
            }
            catch (Exception e)
            {
                SessionErrors++;
                _logger.LogError(e, "Media loop {Loop}: tick failed", Index);
            }

            next += _periodTicks;
            var behind = _time.GetTimestamp() - next;
            if (behind > _periodTicks * MaxCatchUpTicks)
            {
                // Far behind (machine stalled): skip ahead instead of bursting packets.
                TickOverruns++;
                next = _time.GetTimestamp() + _periodTicks;
            }
        }
    }
}
