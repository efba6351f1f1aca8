using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media.Transport;

namespace Telephony.Pbx.Media.Loop;

/// <summary>The media loops (one per core by default); new sessions are assigned round-robin.</summary>
internal sealed class MediaLoopPool
{
    private readonly MediaLoop[] _loops;
    private int _next = -1;

    public MediaLoopPool(int count, TimeProvider time, ILoggerFactory loggerFactory, IMediaTransport transport,
        int threadNice = 0)
    {
        var logger = loggerFactory.CreateLogger("Telephony.Pbx.Media.Loop.MediaLoop");
        _loops = new MediaLoop[Math.Max(1, count)];
        for (var i = 0; i < _loops.Length; i++)
        {
            _loops[i] = new MediaLoop(i, time, logger, transport.CreatePoller(), threadNice);
        }
    }

    public IReadOnlyList<MediaLoop> Loops => _loops;

    public MediaLoop NextLoop() => _loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length)];

    public void Start()
    {
        foreach (var loop in _loops)
        {
            loop.Start();
        }
    }

    public void StartDriven()
    {
        foreach (var loop in _loops)
        {
            loop.StartDriven();
        }
    }

    public void Stop()
    {
        foreach (var loop in _loops)
        {
            loop.Stop();
        }
    }
}
