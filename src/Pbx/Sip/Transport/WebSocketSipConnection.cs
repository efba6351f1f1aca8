using System.Net.WebSockets;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// One SIP WebSocket connection (RFC 7118): sends one at a time (a WebSocket allows a single outstanding send,
/// RFC 6455 frames must not interleave) as text messages (§5.2: SIP messages are UTF-8).
/// </summary>
internal sealed class WebSocketSipConnection(WebSocket socket) : IDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _disposed;

    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }

        try
        {
            await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        try
        {
            if (socket.State != WebSocketState.Open)
            {
                return false;
            }

            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            ReleaseQuietly();
        }
    }

    public async ValueTask CloseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server stopping", timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _sendLock.Dispose();
        }
    }

    private void ReleaseQuietly()
    {
        try
        {
            _sendLock.Release();
        }
        catch (ObjectDisposedException)
        {
            // disposed while sending: the connection closed
        }
    }
}
