using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>TCP: accept loop, outbound connects, and the per-connection framing loop (RFC 3261 §18.3).</summary>
public sealed partial class SipTransportLayer
{
    /// <summary>Largest amount of unframed bytes a connection may buffer: one maximum message plus keep-alives.</summary>
    internal const int MaxTcpBufferBytes = SipLimits.MaxMessageBytes + 1024;

    private async Task RunAcceptAsync(Socket listener, SipEndPoint local, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                _logger.LogDebug("TCP accept on {Local}: {Error}", local, ex.SocketErrorCode);
                continue;
            }

            socket.NoDelay = true;
            var remote = new SipEndPoint(SipProtocol.Tcp, (IPEndPoint)socket.RemoteEndPoint!);
            var connection = new TcpConnection(socket, remote, local);
            Counters.TcpAccepted();
            Register(connection);
            _ = Task.Run(() => RunConnectionAsync(connection), CancellationToken.None);
        }
    }

    private void Register(TcpConnection connection)
    {
        // A newer connection to/from the same endpoint wins; the old one stays until it closes itself.
        _connections[connection.Remote] = connection;
    }

    private async ValueTask<TcpConnection?> GetOrConnectAsync(SipEndPoint target, CancellationToken ct)
    {
        if (_connections.TryGetValue(target, out var existing) && !existing.IsClosed)
        {
            return existing;
        }

        if (target.Protocol == SipProtocol.Tls)
        {
            // We only answer over TLS connections phones opened (RFC 5923 style reuse); we open none ourselves.
            _logger.LogWarning("No open TLS connection to {Remote}; the phone must reconnect (register again)", target);
            return null;
        }

        var remote = target.EndPoint;
        var pending = _connecting.GetOrAdd(remote, ConnectAsync);
        try
        {
            return await pending.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            if (pending.IsCompleted)
            {
                _connecting.TryRemove(new KeyValuePair<IPEndPoint, Task<TcpConnection?>>(remote, pending));
            }
        }
    }

    private async Task<TcpConnection?> ConnectAsync(IPEndPoint remote)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(TcpConnectTimeout);
        try
        {
            await socket.ConnectAsync(remote, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogWarning("TCP connect to {Remote} failed: {Error}", remote, ex.Message);
            socket.Dispose();
            return null;
        }

        SipEndPoint local;
        try
        {
            local = GetLocalEndPoint(SipProtocol.Tcp);
        }
        catch (InvalidOperationException)
        {
            local = new SipEndPoint(SipProtocol.Tcp, (IPEndPoint)socket.LocalEndPoint!);
        }

        var connection = new TcpConnection(socket, new SipEndPoint(SipProtocol.Tcp, remote), local);
        Counters.TcpConnected();
        Register(connection);
        _ = Task.Run(() => RunConnectionAsync(connection), CancellationToken.None);
        return connection;
    }

    private async Task RunConnectionAsync(TcpConnection connection)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxTcpBufferBytes);
        var filled = 0;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(connection.Closing.Token, _stopping.Token);
        try
        {
            while (true)
            {
                idle.CancelAfter(connection.Tls is null ? TcpIdleTimeout : TlsIdleTimeout);
                var n = await connection.ReceiveAsync(buffer.AsMemory(filled, MaxTcpBufferBytes - filled), idle.Token)
                    .ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                filled += n;
                var consumed = 0;
                while (true)
                {
                    var step = NextFrame(buffer.AsSpan(0, filled), ref consumed, out var message, out var error);
                    if (step == FrameStep.NeedMore)
                    {
                        break;
                    }

                    if (step == FrameStep.Message)
                    {
                        await DispatchAsync(message!, connection.Remote, connection.Local).ConfigureAwait(false);
                        continue;
                    }

                    // A frame that does not parse is answered; the stream is still in sync (length known).
                    // A framing error (Content-Length, oversize) is answered if possible and the connection closed.
                    await RejectAsync(error!, connection.Remote).ConfigureAwait(false);
                    if (step == FrameStep.FramingError)
                    {
                        return;
                    }
                }

                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }

                if (filled == MaxTcpBufferBytes)
                {
                    Counters.ParseError(SipParseErrorReason.MessageTooLarge);
                    Counters.Drop();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            if (!connection.IsClosed && !_stopping.IsCancellationRequested)
            {
                _logger.LogDebug("Closing idle TCP connection {Remote}", connection.Remote);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException
                                       or System.Security.Authentication.AuthenticationException)
        {
            _logger.LogDebug("{Protocol} connection {Remote} ended: {Error}", connection.Remote.Protocol, connection.Remote,
                ex.Message);
        }
        finally
        {
            _connections.TryRemove(new KeyValuePair<SipEndPoint, TcpConnection>(connection.Remote, connection));
            if (connection.Close())
            {
                if (connection.Tls is null)
                {
                    Counters.TcpClosed();
                }
                else
                {
                    Counters.TlsClosed();
                }
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private enum FrameStep
    {
        NeedMore,
        Message,
        BadFrame,
        FramingError,
    }

    private static FrameStep NextFrame(ReadOnlySpan<byte> data, ref int consumed, out SipMessage? message,
        out SipParseError? error)
    {
        message = null;
        var status = SipStreamFramer.TryFrame(data[consumed..], out var start, out var length, out error);
        switch (status)
        {
            case SipFrameStatus.Complete:
                var frame = data.Slice(consumed + start, length);
                consumed += start + length;
                return SipMessageParser.TryParse(frame, out message, out error) ? FrameStep.Message : FrameStep.BadFrame;
            case SipFrameStatus.NeedMoreData:
                consumed += start; // leading CRLF keep-alives
                return FrameStep.NeedMore;
            default:
                error ??= new SipParseError(SipParseErrorReason.BadContentLength, HeaderName.ContentLength, 400,
                    "Bad framing");
                return FrameStep.FramingError;
        }
    }
}
