using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Telephony.Pbx.Media.Transport.InMemory;

/// <summary>
/// A bound address on an <see cref="InMemoryMediaNetwork"/>: sends datagrams to other bound addresses and queues
/// what they send it (a bounded ring, like a socket's receive buffer; overflow is dropped and counted). Thread-safe.
/// The <see cref="SocketAddress"/> overloads and the ring's slots (allocated on first use) keep steady-state traffic
/// free of allocation.
/// </summary>
public sealed class InMemoryDatagramSocket : IDisposable
{
    private readonly InMemoryMediaNetwork _network;
    private readonly object _gate = new();
    private readonly byte[]?[] _slots;
    private readonly int[] _lengths;
    private readonly SocketAddress?[] _sources;
    private int _head;
    private int _count;
    private long _dropped;
    private bool _disposed;

    internal InMemoryDatagramSocket(InMemoryMediaNetwork network, IPEndPoint endPoint, int capacity)
    {
        _network = network;
        LocalEndPoint = endPoint;
        Address = endPoint.Serialize();
        _slots = new byte[]?[capacity];
        _lengths = new int[capacity];
        _sources = new SocketAddress?[capacity];
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams queued for reading.</summary>
    public int Available
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Datagrams dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal SocketAddress Address { get; }

    /// <summary>Sends one datagram; false when it was lost (nobody bound there, queue full, socket closed).</summary>
    public bool SendTo(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return !Volatile.Read(ref _disposed) && _network.Deliver(this, datagram, destination);
    }

    /// <summary>Sends one datagram to <paramref name="destination"/> (allocates the address; see the other overload).</summary>
    public bool SendTo(ReadOnlySpan<byte> datagram, IPEndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return SendTo(datagram, destination.Serialize());
    }

    /// <summary>Reads the oldest queued datagram and its sender; -1 when none is queued.</summary>
    public int TryReceive(Span<byte> buffer, SocketAddress source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_gate)
        {
            if (_count == 0)
            {
                return -1;
            }

            var length = Math.Min(_lengths[_head], buffer.Length);
            _slots[_head].AsSpan(0, length).CopyTo(buffer);
            var from = _sources[_head]!;
            from.Buffer.Span[..from.Size].CopyTo(source.Buffer.Span);
            source.Size = from.Size;
            _count--;
            _head = _count == 0 ? 0 : (_head + 1) % _slots.Length; // an empty ring restarts at slot 0: slots are reused
            return length;
        }
    }

    /// <summary>Reads the oldest queued datagram as a new array (test convenience).</summary>
    public bool TryReceive([NotNullWhen(true)] out byte[]? datagram, [NotNullWhen(true)] out IPEndPoint? source)
    {
        var buffer = new byte[InMemoryMediaNetwork.MaxDatagramBytes];
        var address = new SocketAddress(Address.Family);
        var length = TryReceive(buffer, address);
        if (length < 0)
        {
            datagram = null;
            source = null;
            return false;
        }

        datagram = buffer[..length];
        source = (IPEndPoint)LocalEndPoint.Create(address);
        return true;
    }

    /// <summary>Every queued datagram, oldest first (test convenience).</summary>
    public List<byte[]> Drain()
    {
        var list = new List<byte[]>();
        while (TryReceive(out var datagram, out _))
        {
            list.Add(datagram);
        }

        return list;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _count = 0;
        }

        _network.Unbind(this);
    }

    internal bool Enqueue(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        lock (_gate)
        {
            if (_disposed || _count == _slots.Length)
            {
                if (!_disposed)
                {
                    _dropped++;
                }

                return false;
            }

            var tail = (_head + _count) % _slots.Length;
            var slot = _slots[tail] ??= new byte[InMemoryMediaNetwork.MaxDatagramBytes];
            datagram.CopyTo(slot);
            _lengths[tail] = datagram.Length;
            var source = _sources[tail] ??= new SocketAddress(from.Family, from.Buffer.Length);
            from.Buffer.Span[..from.Size].CopyTo(source.Buffer.Span);
            source.Size = from.Size;
            _count++;
            return true;
        }
    }
}
