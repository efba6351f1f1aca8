using System.Buffers;
using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's <see cref="DatagramTransport"/> over a bounded queue: the media loop hands received DTLS datagrams
/// in with <see cref="TryEnqueue"/> (copied into pooled buffers, never blocking), the DTLS thread takes them out
/// with a timeout in <see cref="Receive(Span{byte}, int)"/>, and sends go straight to the session's
/// <see cref="IDtlsDatagramSender"/>. <see cref="Close"/> wakes a waiting receiver at once.
/// </summary>
internal sealed class QueuedDatagramTransport : DatagramTransport
{
    /// <summary>Larger datagrams are not DTLS records we can use (handshake flights are fragmented to the MTU).</summary>
    public const int MaxReceiveSize = 4096;

    private readonly ConcurrentQueue<(byte[] Buffer, int Length)> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly IDtlsDatagramSender _sender;
    private readonly int _capacity;
    private readonly int _sendLimit;
    private int _count;
    private volatile bool _closed;
    private int _closing;

    public QueuedDatagramTransport(IDtlsDatagramSender sender, int capacity, int sendLimit)
    {
        _sender = sender;
        _capacity = capacity;
        _sendLimit = sendLimit;
    }

    /// <summary>Raised once, on the thread that calls <see cref="Close"/> (ours, or BouncyCastle's on close_notify).</summary>
    public event Action? Closed;

    public bool IsClosed => _closed;

    /// <summary>Datagrams waiting.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Queues a copy of <paramref name="datagram"/>; false when closed, full or oversized. Never blocks.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> datagram)
    {
        if (_closed || datagram.IsEmpty || datagram.Length > MaxReceiveSize)
        {
            return false;
        }

        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(buffer);
        _queue.Enqueue((buffer, datagram.Length));
        _available.Release();
        return true;
    }

    public int GetReceiveLimit() => MaxReceiveSize;

    public int GetSendLimit() => _sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>BouncyCastle's receive: -1 on timeout (0 = wait forever); throws once closed.</summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        ThrowIfClosed();
        if (!_available.Wait(waitMillis <= 0 ? Timeout.Infinite : waitMillis))
        {
            return -1;
        }

        ThrowIfClosed();
        if (!_queue.TryDequeue(out var item))
        {
            return -1;
        }

        Interlocked.Decrement(ref _count);
        var length = Math.Min(item.Length, buffer.Length);
        item.Buffer.AsSpan(0, length).CopyTo(buffer);
        ArrayPool<byte>.Shared.Return(item.Buffer);
        return length;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    /// <summary>Hands a record to the session; silently dropped once closed (BouncyCastle sends alerts while failing).</summary>
    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (!_closed)
        {
            _sender.Send(buffer);
        }
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _closed = true;
        _available.Release(); // wake the receiver; it sees _closed and throws
        while (_queue.TryDequeue(out var item))
        {
            ArrayPool<byte>.Shared.Return(item.Buffer);
        }

        Closed?.Invoke();
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new IOException("DTLS transport closed.");
        }
    }
}
