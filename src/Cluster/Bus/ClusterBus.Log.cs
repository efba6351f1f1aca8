using Npgsql;
using NpgsqlTypes;

namespace Telephony.Cluster.Bus;

/// <summary>
/// The bus's durable messages (commands that must reach a node even if it was not listening when they were sent): kept
/// in <c>cluster_bus_log</c> (PostgreSQL migration 015) with a sequence, the <c>NOTIFY</c> only wakes the nodes up. See
/// <see cref="PublishDurableAsync"/>.
/// </summary>
public sealed partial class ClusterBus
{
    /// <summary>How long durable messages are kept: a node disconnected longer misses the older ones (a node that
    /// reconnects is also sent the current agent state, <c>node.hello</c>).</summary>
    public static readonly TimeSpan LogRetention = TimeSpan.FromHours(1);

    /// <summary>How often a publishing node deletes messages older than <see cref="LogRetention"/>.</summary>
    public static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    // Appends take this transaction lock, so sequence order is commit order: a reader that sees seq N has seen all
    // below it (no message is skipped by reading "after the last one applied"). Any constant key.
    private const long LogAppendLock = 0x54656C4275734C67;

    private long _logPosition = -1; // the last seq read; -1 = not positioned yet (first connection)
    private long _lastPrune = long.MinValue;
    private long _logDelivered;

    /// <summary>The last durable message seq this node has read (-1 before the first connection).</summary>
    public long LogPosition => Interlocked.Read(ref _logPosition);

    /// <summary>How many durable messages were handed to the listener.</summary>
    public long LogDelivered => Interlocked.Read(ref _logDelivered);

    /// <summary>
    /// Sends <paramref name="message"/> durably: one statement appends it to <c>cluster_bus_log</c> (the next sequence
    /// number, under a transaction lock so that numbers commit in order) and notifies the nodes, which read every message
    /// after the last one they read, now or when they (re)connect: a node that was not listening gets it on reconnection,
    /// in order, once. <paramref name="subject"/> (e.g. the agent) orders competing commands: a node catching up skips
    /// another node's message on a subject it sent a later message about itself (its own, newer, already applies).
    /// Idempotent by <see cref="BusMessage.Id"/> (sending the same message again adds nothing). False when too large or
    /// the database is not reachable (then send it again); never throws for either.
    /// </summary>
    public async Task<bool> PublishDurableAsync(BusMessage message, string? subject = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (BusCodec.TryEncode(message, out _) is not { } payload)
        {
            return false;
        }
        var wake = BusCodec.TryEncode(BusMessage.Create(BusKinds.LogWake, Node, null), out _)!;
        try
        {
            await using var command = _publisher.CreateCommand("""
                WITH lock AS (SELECT pg_advisory_xact_lock($1)),
                     appended AS (INSERT INTO cluster_bus_log (channel, id, sender, recipient, subject, payload)
                                  SELECT $2, $3, $4, $5, $6, $7 FROM lock
                                  ON CONFLICT (channel, id) DO NOTHING RETURNING seq)
                SELECT pg_notify($2, $8) FROM appended
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = LogAppendLock, NpgsqlDbType = NpgsqlDbType.Bigint });
            foreach (var value in new[] { _channel, message.Id, message.From, message.To, subject, payload, wake })
            {
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            }
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return false;
        }
        await PruneAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The first time the node connects: start after the last message already in the log (a new node gets
    /// the current state from the others instead, <c>node.hello</c>). Later connections keep the position.</summary>
    private async Task PositionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (Interlocked.Read(ref _logPosition) >= 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand("SELECT coalesce(max(seq), 0) FROM cluster_bus_log WHERE channel = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _channel });
        Interlocked.Exchange(ref _logPosition, (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
    }

    /// <summary>Hands the listener, in order, the durable messages for this node after <see cref="LogPosition"/>. On the
    /// dispatcher (one at a time with the live messages). A failed read is retried at the next wake-up or connection.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        long from = Interlocked.Read(ref _logPosition);
        if (from < 0)
        {
            return;
        }
        var rows = new List<(long Seq, string Sender, string? Subject, string Payload)>();
        try
        {
            await using var command = _publisher.CreateCommand("""
                SELECT seq, sender, subject, payload FROM cluster_bus_log
                WHERE channel = $1 AND seq > $2 AND (recipient IS NULL OR recipient = $3) ORDER BY seq
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = _channel });
            command.Parameters.Add(new NpgsqlParameter { Value = from });
            command.Parameters.Add(new NpgsqlParameter { Value = Node });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return;
        }
        // A subject this node sent a message about: others' earlier messages on it are superseded (ours came later).
        var ownLast = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Sender == Node && r.Subject is not null))
        {
            ownLast[row.Subject!] = row.Seq;
        }
        foreach (var row in rows)
        {
            Interlocked.Exchange(ref _logPosition, row.Seq);
            if (row.Sender == Node || (row.Subject is not null && ownLast.TryGetValue(row.Subject, out var own) && own > row.Seq))
            {
                continue;
            }
            if (BusCodec.TryDecode(row.Payload) is { } message)
            {
                Interlocked.Increment(ref _logDelivered);
                await DeliverAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        long now = _time.GetTimestamp();
        long last = Interlocked.Read(ref _lastPrune);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < PruneEvery)
        {
            return;
        }
        Interlocked.Exchange(ref _lastPrune, now);
        try
        {
            await using var command = _publisher.CreateCommand("DELETE FROM cluster_bus_log WHERE channel = $1 AND created_at < now() - $2");
            command.Parameters.Add(new NpgsqlParameter { Value = _channel });
            command.Parameters.Add(new NpgsqlParameter { Value = LogRetention });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // Next time.
        }
    }
}
