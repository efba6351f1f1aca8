using System.Collections.Concurrent;
using System.Threading.Channels;
using Npgsql;

namespace Telephony.Cluster.Bus;

/// <summary>
/// The cluster bus: JSON messages between the nodes over PostgreSQL <c>LISTEN</c>/<c>NOTIFY</c> on one channel of the
/// cluster database (PostgreSQL docs, "NOTIFY": delivered to every listening session after the sender's transaction
/// commits, in commit order, payload shorter than 8000 bytes). <see cref="RunAsync"/> keeps one dedicated connection
/// listening (<c>WaitAsync</c>), reconnecting with a doubling backoff (<see cref="FirstBackoff"/> up to
/// <see cref="MaxBackoff"/>) when it breaks; messages sent with <see cref="PublishAsync"/> while a node is disconnected are
/// lost to it (live events, requests that time out), those sent with <see cref="PublishDurableAsync"/> (commands) are
/// kept in the database and read on reconnection. Both send on a pooled connection.
/// A node ignores its own echoes and messages addressed to another node; replies (<see cref="BusMessage.ReplyTo"/>) go
/// to the pending <see cref="RequestAsync"/>, everything else to the <see cref="IBusListener"/>, in order.
/// The bus is inside the cluster's trust boundary: whoever can <c>NOTIFY</c> on the cluster database can command the nodes.
/// </summary>
public sealed partial class ClusterBus : IAsyncDisposable
{
    /// <summary>The channel all nodes listen on.</summary>
    public const string DefaultChannel = "telephony_bus";

    /// <summary>
    /// The channel of the cluster whose database is <paramref name="connectionString"/>: <see cref="DefaultChannel"/>, or
    /// with the search path appended when one is set (several clusters in one database, one schema each, as in the tests:
    /// channels are per database, not per schema).
    /// </summary>
    public static string ChannelFor(string connectionString)
    {
        var path = new NpgsqlConnectionStringBuilder(connectionString).SearchPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            return DefaultChannel;
        }
        var suffix = new string([.. path.ToLowerInvariant().Select(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '_')]);
        var channel = DefaultChannel + "_" + suffix;
        return channel.Length < 64 ? channel : channel[..63];
    }

    /// <summary>First wait before reconnecting the listening connection.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between reconnection attempts.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly string _listenConnectionString;
    private readonly NpgsqlDataSource _publisher;
    private readonly bool _ownsPublisher;
    private readonly IBusListener _listener;
    private readonly TimeProvider _time;
    private readonly string _channel;
    // Payloads in arrival order; null = read the durable messages (after a (re)connection).
    private readonly Channel<string?> _inbox = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, PendingRequest> _pending = new(StringComparer.Ordinal);
    private volatile bool _connected;
    private long _connections;
    private long _listenerFailures;

    /// <param name="connectionString">The cluster database (Npgsql connection string).</param>
    /// <param name="node">This node's id: messages from it are echoes, messages to it are ours.</param>
    public ClusterBus(string connectionString, string node, IBusListener listener, TimeProvider time, string channel = DefaultChannel)
        : this(connectionString, null, node, listener, time, channel)
    {
    }

    /// <param name="connectionString">The cluster database (Npgsql connection string): the dedicated <c>LISTEN</c> connection.</param>
    /// <param name="pool">The node's pool to the same database, which publishes (its owner disposes it); null = a pool of
    /// the bus's own.</param>
    /// <param name="node">This node's id: messages from it are echoes, messages to it are ours.</param>
    public ClusterBus(string connectionString, NpgsqlDataSource? pool, string node, IBusListener listener, TimeProvider time,
        string channel = DefaultChannel)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(time);
        if (!IsIdentifier(channel))
        {
            throw new ArgumentException($"bus channel '{channel}' must be a lower-case SQL identifier", nameof(channel));
        }
        Node = node;
        _listener = listener;
        _time = time;
        _channel = channel;
        _listenConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = 5,
            ApplicationName = "telephony-bus " + node,
        }.ConnectionString;
        _ownsPublisher = pool is null;
        _publisher = pool ?? NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>This node's id.</summary>
    public string Node { get; }

    /// <summary>True while the listening connection is up.</summary>
    public bool IsConnected => _connected;

    /// <summary>How many times the listening connection was opened (1 at first, more after reconnections).</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>How many messages the listener threw on (they are dropped; the bus goes on).</summary>
    public long ListenerFailures => Interlocked.Read(ref _listenerFailures);

    /// <summary>Listens until <paramref name="cancellationToken"/> is cancelled, reconnecting when the connection breaks.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var dispatcher = DispatchAsync(cancellationToken);
        var backoff = FirstBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await PositionAsync(connection, cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) => _inbox.Writer.TryWrite(e.Payload);
                await using (var listen = new NpgsqlCommand("LISTEN " + _channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                Interlocked.Increment(ref _connections);
                _connected = true;
                _listener.OnConnectionChanged(true, null);
                _inbox.Writer.TryWrite(null); // what was sent durably while we were not listening
                backoff = FirstBackoff;
                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                _connected = false;
                _listener.OnConnectionChanged(false, ex.Message);
                try
                {
                    await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
        _connected = false;
        _inbox.Writer.TryComplete();
        await dispatcher.ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <paramref name="message"/> to the other nodes. False when it is too large (more than
    /// <see cref="BusCodec.MaxPayloadBytes"/>) or the database is not reachable; never throws for either.
    /// </summary>
    public async Task<bool> PublishAsync(BusMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (BusCodec.TryEncode(message, out _) is not { } payload)
        {
            return false;
        }
        try
        {
            await using var command = _publisher.CreateCommand("SELECT pg_notify($1, $2)");
            command.Parameters.Add(new NpgsqlParameter { Value = _channel });
            command.Parameters.Add(new NpgsqlParameter { Value = payload });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and waits for its answer: a node that takes it acknowledges
    /// (<see cref="BusKinds.Ack"/>) or replies within <paramref name="ackWithin"/>, otherwise no node has what was asked
    /// (<see cref="BusReplyOutcome.NoTaker"/>); the final reply (<see cref="BusKinds.Reply"/>) then comes within
    /// <paramref name="replyWithin"/>, otherwise <see cref="BusReplyOutcome.TimedOut"/>.
    /// </summary>
    public async Task<BusReply> RequestAsync(BusMessage request, TimeSpan ackWithin, TimeSpan replyWithin,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pending = new PendingRequest();
        _pending[request.Id] = pending;
        try
        {
            if (!await PublishAsync(request, cancellationToken).ConfigureAwait(false))
            {
                return new BusReply(BusReplyOutcome.NotSent, null);
            }
            try
            {
                await pending.Ack.Task.WaitAsync(ackWithin, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return new BusReply(BusReplyOutcome.NoTaker, null);
            }
            try
            {
                return new BusReply(BusReplyOutcome.Replied,
                    await pending.Reply.Task.WaitAsync(replyWithin, _time, cancellationToken).ConfigureAwait(false));
            }
            catch (TimeoutException)
            {
                return new BusReply(BusReplyOutcome.TimedOut, null);
            }
        }
        finally
        {
            _pending.TryRemove(request.Id, out _);
        }
    }

    /// <summary>What a node does with one received payload (internal for the unit tests: no database needed).</summary>
    internal async Task ReceiveAsync(string payload, CancellationToken cancellationToken)
    {
        if (BusCodec.TryDecode(payload) is not { } message || message.From == Node || (message.To is not null && message.To != Node))
        {
            return; // not ours, our own echo, or for another node
        }
        if (message.Kind == BusKinds.LogWake)
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        await DeliverAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeliverAsync(BusMessage message, CancellationToken cancellationToken)
    {
        if (message.ReplyTo is not null)
        {
            if (_pending.TryGetValue(message.ReplyTo, out var pending))
            {
                pending.Ack.TrySetResult(message);
                if (message.Kind != BusKinds.Ack)
                {
                    pending.Reply.TrySetResult(message);
                }
            }
            return; // a late reply to a request given up is dropped
        }
        try
        {
            await _listener.OnMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Interlocked.Increment(ref _listenerFailures); // one bad message must not stop the bus
        }
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var payload in _inbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await (payload is null ? CatchUpAsync(cancellationToken) : ReceiveAsync(payload, cancellationToken)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static bool IsIdentifier(string channel) =>
        channel is { Length: > 0 and < 64 } && (char.IsAsciiLetterLower(channel[0]) || channel[0] == '_')
        && channel.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    public async ValueTask DisposeAsync()
    {
        if (_ownsPublisher)
        {
            await _publisher.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class PendingRequest
    {
        public TaskCompletionSource<BusMessage> Ack { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<BusMessage> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
