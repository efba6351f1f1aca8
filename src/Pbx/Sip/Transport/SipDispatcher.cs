using Microsoft.Extensions.Logging;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// Runs the <see cref="ISipMessageHandler"/> for inbound messages in shards keyed by Call-ID: all messages of one
/// dialog (RFC 3261 §12: a dialog's requests and responses share its Call-ID) and of its transactions are handled
/// one at a time, in arrival order, while other dialogs go on in the other shards. A message for an idle shard is
/// handled at once on the receiving thread (no thread hop, as the handlers mostly finish without waiting); when the
/// handler has to wait (authentication, the call layer, a TCP connect), the shard's later messages queue and the
/// handler's continuation works through them off the receive loop, which goes on reading. Each shard's queue is
/// bounded: when it is full <see cref="TryDispatch"/> returns false and the transport answers a request 503 (RFC 3261
/// §21.5.4) rather than letting the backlog, and the memory it holds, grow with the offered load.
/// </summary>
internal sealed class SipDispatcher
{
    private readonly Shard[] _shards;
    private readonly int _capacity;
    private readonly ISipMessageHandler _handler;
    private readonly TransportCounters _counters;
    private readonly ILogger _logger;
    private int _pending;

    public SipDispatcher(int shards, int queueCapacity, ISipMessageHandler handler, TransportCounters counters,
        ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _capacity = queueCapacity;
        _handler = handler;
        _counters = counters;
        _logger = logger;
        _shards = new Shard[shards];
        for (var i = 0; i < shards; i++)
        {
            _shards[i] = new Shard();
        }
    }

    /// <summary>Messages queued behind a waiting handler, over all shards.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>The shard that handles every message with this Call-ID (a message without one goes to shard 0).</summary>
    public static int ShardOf(string? callId, int shards) =>
        callId is null ? 0 : (int)((uint)string.GetHashCode(callId, StringComparison.Ordinal) % (uint)shards);

    /// <summary>
    /// Handles the message now when its shard is idle, else queues it behind the shard's current work. False when
    /// that queue is full (the caller sheds the message).
    /// </summary>
    public bool TryDispatch(SipMessage message, SipEndPoint remote, SipEndPoint local)
    {
        var shard = _shards[ShardOf(message.CallId, _shards.Length)];
        lock (shard)
        {
            if (shard.Busy)
            {
                if (shard.Queue.Count >= _capacity)
                {
                    return false;
                }

                shard.Queue.Enqueue((message, remote, local));
                Interlocked.Increment(ref _pending);
                return true;
            }

            shard.Busy = true;
        }

        var handling = Handle(message, remote, local);
        if (handling.IsCompletedSuccessfully)
        {
            Release(shard);
        }
        else
        {
            _ = ContinueAsync(shard, handling, leaveThread: false);
        }

        return true;
    }

    /// <summary>Starts the handler; an exception thrown before its first await is caught like a later one.</summary>
    private ValueTask Handle(SipMessage message, SipEndPoint remote, SipEndPoint local)
    {
        try
        {
            var handling = _handler.OnMessageAsync(message, remote, local);
            return handling.IsCompletedSuccessfully ? ValueTask.CompletedTask : Observe(handling, remote);
        }
        catch (Exception ex)
        {
            Failed(ex, remote);
            return ValueTask.CompletedTask;
        }
    }

    private async ValueTask Observe(ValueTask handling, SipEndPoint remote)
    {
        try
        {
            await handling.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Failed(ex, remote);
        }
    }

    private void Failed(Exception ex, SipEndPoint remote)
    {
        _counters.HandlerError();
        _logger.LogError(ex, "SIP message handler failed for a message from {Remote}", remote);
    }

    /// <summary>The handler finished on the receiving thread: idle again, or hand what queued meanwhile to the pool.</summary>
    private void Release(Shard shard)
    {
        lock (shard)
        {
            if (shard.Queue.Count == 0)
            {
                shard.Busy = false;
                return;
            }
        }

        // Another receive thread (TCP, a second listener) queued behind us: work through it off this thread.
        _ = ContinueAsync(shard, ValueTask.CompletedTask, leaveThread: true);
    }

    /// <summary>Waits for the running handler, then handles the shard's queue in order until it is empty.</summary>
    private async Task ContinueAsync(Shard shard, ValueTask running, bool leaveThread)
    {
        if (leaveThread)
        {
            await Task.Yield(); // off the receive loop
        }

        await running.ConfigureAwait(false); // never throws: Handle observes

        while (true)
        {
            (SipMessage Message, SipEndPoint Remote, SipEndPoint Local) next;
            lock (shard)
            {
                if (!shard.Queue.TryDequeue(out next))
                {
                    shard.Busy = false;
                    return;
                }
            }

            Interlocked.Decrement(ref _pending);
            await Handle(next.Message, next.Remote, next.Local).ConfigureAwait(false);
        }
    }

    /// <summary>One dialog group: its queue and whether a handler is running for it (guarded by the shard itself).</summary>
    private sealed class Shard
    {
        public Queue<(SipMessage Message, SipEndPoint Remote, SipEndPoint Local)> Queue { get; } = new();
        public bool Busy { get; set; }
    }
}
