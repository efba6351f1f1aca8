using System.Collections.Concurrent;
using Telephony.Cluster.Bus;

namespace Telephony.Host.Cluster;

/// <summary>
/// The other nodes' live calls and events, from their messages on the cluster bus: <see cref="Calls"/> (merged into
/// <c>GET /api/console/live-calls</c>, each tagged with its node) and, when the nodes do not share one event log
/// (<see cref="MergesIntoStream"/>: storage is not PostgreSQL), the last <see cref="Capacity"/> events for the event
/// stream (<c>GET /api/events</c>, without an SSE id: they are not in this node's log). A node silent on the bus for
/// <see cref="SilentAfter"/> (no beat) is gone: its calls leave the view.
/// </summary>
public sealed class BusLiveView(bool mergesIntoStream, TimeProvider time)
{
    /// <summary>Live event kinds (bus message kinds).</summary>
    public const string CallStarted = "call.started", CallAnswered = "call.answered", CallEnded = "call.ended",
        QueueEntered = "queue.entered", QueueLeft = "queue.left", CallLive = "call.live", AgentState = "agent.state";

    /// <summary>How many remote events the stream buffer keeps.</summary>
    public const int Capacity = 1000;

    /// <summary>A node without a beat for this long is gone.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(6);

    private readonly ConcurrentDictionary<string, RemoteCall> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(long Sequence, BusMessage Message)> _recent = new();
    private readonly Lock _gate = new();
    private long _sequence;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True when remote events go into this node's event stream (the nodes do not share an event log).</summary>
    public bool MergesIntoStream { get; } = mergesIntoStream;

    /// <summary>True for the kinds this view takes.</summary>
    public static bool IsLiveKind(string kind) =>
        kind is CallStarted or CallAnswered or CallEnded or QueueEntered or QueueLeft or CallLive;

    /// <summary>The calls in progress on the other nodes that are still alive, oldest first.</summary>
    public IReadOnlyList<RemoteCall> Calls
    {
        get
        {
            var now = time.GetUtcNow();
            foreach (var (node, at) in _seen)
            {
                if (now - at >= SilentAfter)
                {
                    Gone(node); // silent: dead or cut off; it resends its calls when it is back (Reconnected)
                }
            }
            return [.. _calls.Values.Where(c => _seen.ContainsKey(c.Node)).OrderBy(c => c.StartedAt)];
        }
    }

    /// <summary>The other nodes heard from within <see cref="SilentAfter"/>.</summary>
    public IReadOnlyList<string> LiveNodes
    {
        get
        {
            var now = time.GetUtcNow();
            return [.. _seen.Where(kv => now - kv.Value < SilentAfter).Select(kv => kv.Key)];
        }
    }

    /// <summary>The remote call <paramref name="callId"/> if a live node has it.</summary>
    public RemoteCall? Find(string callId) => Calls.FirstOrDefault(c => c.Id == callId);

    /// <summary>Node <paramref name="node"/> is alive (a beat or any message).</summary>
    public void Seen(string node) => _seen[node] = time.GetUtcNow();

    /// <summary>Node <paramref name="node"/> is gone (it said so when stopping): its calls leave the view.</summary>
    public void Gone(string node)
    {
        _seen.TryRemove(node, out _);
        Forget(node);
    }

    /// <summary>
    /// Node <paramref name="node"/> (re)connected to the bus: what this view knew of its calls may be stale (it restarted,
    /// or missed events while away); it resends its calls in progress right after (<see cref="CallLive"/>).
    /// </summary>
    public void Reconnected(string node)
    {
        Seen(node);
        Forget(node);
    }

    private void Forget(string node)
    {
        foreach (var call in _calls.Values.Where(c => c.Node == node))
        {
            _calls.TryRemove(call.Id, out _);
        }
    }

    /// <summary>Takes one live event of another node. False when <paramref name="message"/> is not a live event.</summary>
    public bool Apply(BusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Kind == AgentState)
        {
            Seen(message.From);
            Keep(message); // not a call: only for the event stream
            return true;
        }
        if (!IsLiveKind(message.Kind) || BusCodec.FromBody<BusLiveEvent>(message) is not { CallId.Length: > 0 } e)
        {
            return false;
        }
        Seen(message.From);
        var at = e.At ?? time.GetUtcNow();
        switch (message.Kind)
        {
            case CallStarted or CallLive:
                _calls[e.CallId] = new RemoteCall(message.From, e.CallId, e.Kind, e.Caller, e.Dialed, e.StartedAt ?? at, e.AnsweredAt, e.Agent, e.Queue);
                break;
            case CallEnded:
                _calls.TryRemove(e.CallId, out _);
                break;
            default:
                if (_calls.TryGetValue(e.CallId, out var call))
                {
                    _calls[e.CallId] = message.Kind switch
                    {
                        CallAnswered => call with { AnsweredAt = e.AnsweredAt ?? at, Agent = e.Agent ?? call.Agent },
                        QueueEntered => call with { Queue = e.Queue },
                        _ => call with { Agent = e.Agent ?? call.Agent, Queue = null },
                    };
                }
                break;
        }
        if (message.Kind != CallLive)
        {
            Keep(message);
        }
        return true;
    }

    private void Keep(BusMessage message)
    {
        if (MergesIntoStream)
        {
            lock (_gate)
            {
                _recent.Enqueue((++_sequence, message));
                while (_recent.Count > Capacity)
                {
                    _recent.Dequeue();
                }
            }
            Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>The sequence of the last remote event kept (a new stream starts after it).</summary>
    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }
    }

    /// <summary>The remote events kept after <paramref name="sequence"/>, in order.</summary>
    public IReadOnlyList<(long Sequence, BusMessage Message)> ReadAfter(long sequence)
    {
        lock (_gate)
        {
            return [.. _recent.Where(r => r.Sequence > sequence)];
        }
    }

    /// <summary>Completes when the next remote event is kept.</summary>
    public Task NextAsync() => Volatile.Read(ref _next).Task;
}
