using System.Net.Security;
using System.Net.Sockets;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// One TCP connection of the transport (RFC 3261 §18.3): serialized writes, a cancellation source for its read
/// loop, and the endpoints it is known by in the connection table. A TLS connection (RFC 3261 §26.2.1) reads and
/// writes through its <see cref="Tls"/> stream once the handshake is done; the framing above is the same.
/// </summary>
internal sealed class TcpConnection : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _closed;

    public TcpConnection(Socket socket, SipEndPoint remote, SipEndPoint local, SslStream? tls = null)
    {
        Socket = socket;
        Remote = remote;
        Local = local;
        Tls = tls;
    }

    public Socket Socket { get; }

    /// <summary>The authenticated TLS stream over <see cref="Socket"/>, or null for plain TCP.</summary>
    public SslStream? Tls { get; }

    public SipEndPoint Remote { get; }

    public SipEndPoint Local { get; }

    public CancellationTokenSource Closing { get; } = new();

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Tls is not null)
            {
                await Tls.WriteAsync(data, ct).ConfigureAwait(false);
                await Tls.FlushAsync(ct).ConfigureAwait(false);
                return;
            }

            while (!data.IsEmpty)
            {
                var n = await Socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);
                data = data[n..];
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Reads what has arrived (0 at end of stream), through TLS when the connection has it.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) =>
        Tls is not null ? Tls.ReadAsync(buffer, ct) : Socket.ReceiveAsync(buffer, SocketFlags.None, ct);

    /// <summary>Closes once; returns true for the caller that actually closed it.</summary>
    public bool Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return false;
        }

        try
        {
            Closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already disposed by Dispose: nothing to cancel
        }

        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // peer already gone
        }
        catch (ObjectDisposedException)
        {
            // already disposed
        }

        Tls?.Dispose();
        Socket.Dispose();
        return true;
    }

    public void Dispose()
    {
        Close();
        Closing.Dispose();
        _writeLock.Dispose();
    }
}
