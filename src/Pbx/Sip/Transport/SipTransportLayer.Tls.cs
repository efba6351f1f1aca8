using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// TLS (RFC 3261 §26.2.1, RFC 5630): the accept loop hands each new socket to its own handshake task, so a client that
/// connects and sends nothing holds one of <see cref="MaxConcurrentTlsHandshakes"/> slots for at most
/// <see cref="TlsHandshakeTimeout"/> and never the accept loop. Server mode, TLS 1.2 and 1.3 only, no client
/// certificate asked. After the handshake the connection is framed exactly like TCP (§18.3) and registered in the
/// connection table, so responses and requests to a phone registered over TLS go back over its connection.
/// </summary>
public sealed partial class SipTransportLayer
{
    /// <summary>The TLS versions offered: 1.2 and 1.3 (RFC 8996 deprecates 1.0 and 1.1).</summary>
    public const SslProtocols TlsProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private SemaphoreSlim? _handshakeSlots;
    private long _lastTlsFailureLog = long.MinValue;
    private long _tlsFailuresSinceLog;

    private async Task RunTlsAcceptAsync(Socket listener, SipEndPoint local, X509Certificate2 certificate,
        CancellationToken ct)
    {
        var slots = LazyInitializer.EnsureInitialized(ref _handshakeSlots,
            () => new SemaphoreSlim(Math.Max(1, MaxConcurrentTlsHandshakes)));
        var authentication = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null),
            EnabledSslProtocols = TlsProtocols,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
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
                _logger.LogDebug("TLS accept on {Local}: {Error}", local, ex.SocketErrorCode);
                continue;
            }

            if (!slots.Wait(0, CancellationToken.None))
            {
                // Too many handshakes in flight (a slow-loris burst): refuse this one rather than queue it.
                Counters.TlsHandshakeRefused();
                socket.Dispose();
                continue;
            }

            _ = Task.Run(() => HandshakeAsync(socket, local, authentication, slots, ct), CancellationToken.None);
        }
    }

    private async Task HandshakeAsync(Socket socket, SipEndPoint local, SslServerAuthenticationOptions authentication,
        SemaphoreSlim slots, CancellationToken ct)
    {
        SslStream? tls = null;
        SipEndPoint remote = default;
        try
        {
            socket.NoDelay = true;
            remote = new SipEndPoint(SipProtocol.Tls, (IPEndPoint)socket.RemoteEndPoint!);
            tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TlsHandshakeTimeout);
            await tls.AuthenticateAsServerAsync(authentication, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException
                                       or OperationCanceledException or ObjectDisposedException)
        {
            slots.Release();
            tls?.Dispose();
            socket.Dispose();
            if (!ct.IsCancellationRequested)
            {
                Counters.TlsHandshakeFailed();
                LogHandshakeFailure(remote, ex);
            }

            return;
        }

        slots.Release();
        _logger.LogDebug("TLS connection from {Remote}: {Protocol} {Cipher}", remote, tls.SslProtocol,
            tls.NegotiatedCipherSuite);
        var connection = new TcpConnection(socket, remote, local, tls);
        Counters.TlsAccepted();
        Register(connection);
        await RunConnectionAsync(connection).ConfigureAwait(false);
    }

    /// <summary>One Warning per 10 s at most (a scanner can fail thousands of handshakes), the rest counted.</summary>
    private void LogHandshakeFailure(SipEndPoint remote, Exception ex)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastTlsFailureLog);
        if (now - last < 10_000 || Interlocked.CompareExchange(ref _lastTlsFailureLog, now, last) != last)
        {
            Interlocked.Increment(ref _tlsFailuresSinceLog);
            return;
        }

        var suppressed = Interlocked.Exchange(ref _tlsFailuresSinceLog, 0);
        var reason = ex is OperationCanceledException ? $"no handshake within {TlsHandshakeTimeout.TotalSeconds:0} s" : ex.Message;
        _logger.LogWarning("TLS handshake from {Remote} failed: {Reason} ({Suppressed} more failures since the last warning)",
            remote, reason, suppressed);
    }
}
