using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// A plain-TCP to TLS relay for peers that cannot speak TLS themselves (Debian's SIPp 3.6.1 is built without
/// OpenSSL, so <c>-t l1</c> is refused): it listens on <see cref="ListenPort"/>, and for each client opens a TLS 1.2+
/// connection from <paramref name="sourceAddress"/> to the server's TLS port and copies bytes both ways. The server sees
/// a TLS connection from that source (so 127.0.0.2 is still the trunk). Any server certificate is accepted (the
/// server's is self-signed); the one seen is kept in <see cref="ServerCertificateSha256"/> for the test to compare.
/// </summary>
public sealed class TlsRelay : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly IPEndPoint target;
    private readonly IPAddress sourceAddress;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> pumps = [];
    private readonly Task acceptLoop;

    public TlsRelay(IPAddress listenAddress, int listenPort, IPAddress sourceAddress, IPEndPoint target)
    {
        this.target = target;
        this.sourceAddress = sourceAddress;
        listener = new TcpListener(listenAddress, listenPort);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        ListenPort = listenPort;
        acceptLoop = Task.Run(AcceptAsync);
    }

    /// <summary>Where the plain-TCP peer connects.</summary>
    public int ListenPort { get; }

    /// <summary>SHA-256 of the server certificate of the last handshake, as <c>AA:BB:…</c>, or null.</summary>
    public string? ServerCertificateSha256 { get; private set; }

    /// <summary>The TLS version of the last handshake.</summary>
    public SslProtocols? Protocol { get; private set; }

    /// <summary>Connections relayed so far.</summary>
    public int Connections { get; private set; }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (pumps)
            {
                pumps.Add(Task.Run(() => RelayAsync(client)));
            }
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient(new IPEndPoint(sourceAddress, 0)))
        {
            try
            {
                await upstream.ConnectAsync(target, stopping.Token).ConfigureAwait(false);
                await using var tls = new SslStream(upstream.GetStream(), leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        if (certificate is not null)
                        {
                            ServerCertificateSha256 = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()))
                                .Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b);
                        }

                        return true; // self-signed test certificate: compared by fingerprint instead
                    },
                }, stopping.Token).ConfigureAwait(false);
                Protocol = tls.SslProtocol;
                Connections++;
                NetworkStream plain = client.GetStream();
                Task up = plain.CopyToAsync(tls, stopping.Token);
                Task down = tls.CopyToAsync(plain, stopping.Token);
                await Task.WhenAny(up, down).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or AuthenticationException
                                          or ObjectDisposedException)
            {
                // the peer or the server closed: the relay just ends this connection
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        Task[] all;
        lock (pumps)
        {
            all = [acceptLoop, .. pumps];
        }

        await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        stopping.Dispose();
    }
}
