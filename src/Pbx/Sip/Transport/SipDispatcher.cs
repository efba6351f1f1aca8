using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// Runs the <see cref="ISipMessageHandler"/> for inbound messages on a fixed set of workers, sharded by Call-ID: all
/// messages of one dialog (RFC 3261 §12: a dialog's requests and responses share its Call-ID) and of its
/// transactions are handled one at a time, in arrival order, while other dialogs run in parallel on the other
/// workers, and the socket's receive loop never waits for authentication, the call layer or logging. Each worker's
/// queue is bounded: when it is full, <see cref="TryEnqueue"/> returns false and the transport answers a request 503
/// (RFC 3261 §21.5.4) instead of letting the backlog, and the memory it holds, grow with the offered load.
/// </summary>
internal sealed class SipDispatcher : IAsyncDisposable
{
    private readonly Channel<(SipMessage Message, SipEndPoint Remote, SipEndPoint Local)>[] _queues;
    private readonly Task[] _workers;
    private readonly ISipMessageHandler _handler;
    private readonly TransportCounters _counters;
    private readonly ILogger _logger;

    public SipDispatcher(int workers, int queueCapacity, ISipMessageHandler handler, TransportCounters counters,
        ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _handler = handler;
        _counters = counters;
        _logger = logger;
        _queues = new Channel<(SipMessage, SipEndPoint, SipEndPoint)>[workers];
        _workers = new Task[workers];
        for (var i = 0; i < workers; i++)
        {
            _queues[i] = Channel.CreateBounded<(SipMessage, SipEndPoint, SipEndPoint)>(
                new BoundedChannelOptions(queueCapacity)
                {
                    SingleReader = true,
                    FullMode = BoundedChannelFullMode.Wait,
                    AllowSynchronousContinuations = false,
                });
            var reader = _queues[i].Reader;
            _workers[i] = Task.Run(() => RunAsync(reader));
        }
    }

    /// <summary>Messages queued and not yet handled, over all workers.</summary>
    public int Pending
    {
        get
        {
            var n = 0;
            foreach (var queue in _queues)
            {
                n += queue.Reader.Count;
            }

            return n;
        }
    }

    /// <summary>The worker that handles every message with this Call-ID (a message without one goes to worker 0).</summary>
    public static int ShardOf(string? callId, int workers) =>
        callId is null ? 0 : (int)((uint)string.GetHashCode(callId, StringComparison.Ordinal) % (uint)workers);

    /// <summary>Queues without waiting (UDP); false when the message's worker is full.</summary>
    public bool TryEnqueue(SipMessage message, SipEndPoint remote, SipEndPoint local) =>
        _queues[ShardOf(message.CallId, _queues.Length)].Writer.TryWrite((message, remote, local));

    /// <summary>Queues, waiting while the worker is full (TCP: the connection stops reading, which pushes back).</summary>
    public ValueTask EnqueueAsync(SipMessage message, SipEndPoint remote, SipEndPoint local, CancellationToken ct) =>
        _queues[ShardOf(message.CallId, _queues.Length)].Writer.WriteAsync((message, remote, local), ct);

    /// <summary>Stops taking messages and waits (up to 5 s) for the workers to finish what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            queue.Writer.TryComplete();
        }

        try
        {
            await Task.WhenAll(_workers).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("SIP workers did not finish within 5 s");
        }
    }

    private async Task RunAsync(ChannelReader<(SipMessage Message, SipEndPoint Remote, SipEndPoint Local)> reader)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    await _handler.OnMessageAsync(item.Message, item.Remote, item.Local).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    _counters.HandlerError();
                    _logger.LogError(ex, "SIP message handler failed for a message from {Remote}", item.Remote);
                }
            }
        }
    }
}
