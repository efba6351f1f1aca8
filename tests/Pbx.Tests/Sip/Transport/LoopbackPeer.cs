using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Tests.Sip.Transport;

/// <summary>A started transport on 127.0.0.1 port 0 (UDP and TCP) collecting what it receives; loopback only.</summary>
internal sealed class LoopbackPeer : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private LoopbackPeer(SipTransportLayer transport) => Transport = transport;

    public SipTransportLayer Transport { get; }

    /// <summary>Where received messages go (the inbox by default; a test may swap it).</summary>
    public SwitchableMessageHandler Handler { get; private set; } = null!;

    public Channel<(SipMessage Message, SipEndPoint Remote, SipEndPoint Local)> Inbox { get; } =
        Channel.CreateUnbounded<(SipMessage, SipEndPoint, SipEndPoint)>();

    public IPEndPoint Udp => Transport.GetLocalEndPoint(SipProtocol.Udp).EndPoint;

    public IPEndPoint Tcp => Transport.GetLocalEndPoint(SipProtocol.Tcp).EndPoint;

    public static async Task<LoopbackPeer> StartAsync(IPAddress? address = null, SipTransportLayer? transport = null)
    {
        var peer = new LoopbackPeer(transport ?? new SipTransportLayer());
        address ??= IPAddress.Loopback;
        peer.Handler = new SwitchableMessageHandler((m, r, l) => peer.Inbox.Writer.WriteAsync((m, r, l)));
        await peer.Transport.StartAsync([
            new SipListenOptions(SipProtocol.Udp, new IPEndPoint(address, 0)),
            new SipListenOptions(SipProtocol.Tcp, new IPEndPoint(address, 0)),
        ], peer.Handler);
        return peer;
    }

    public async Task<(SipMessage Message, SipEndPoint Remote, SipEndPoint Local)> NextAsync()
    {
        using var cts = new CancellationTokenSource(Bound);
        return await Inbox.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Polls a condition (counters are updated on the receive thread) within the bound.</summary>
    public static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }

    public static string Request(string method = "OPTIONS", string transport = "UDP", string branch = "z9hG4bKt1",
        string callId = "call-1", string cseq = "", string body = "", string extraHeaders = "")
    {
        var cseqValue = cseq.Length > 0 ? cseq : "1 " + method;
        return $"{method} sip:x@127.0.0.1 SIP/2.0\r\n" +
               $"Via: SIP/2.0/{transport} 192.0.2.1:5999;branch={branch};rport\r\n" +
               "Max-Forwards: 70\r\n" +
               "From: <sip:a@192.0.2.1>;tag=f1\r\n" +
               "To: <sip:x@127.0.0.1>\r\n" +
               $"Call-ID: {callId}\r\n" +
               $"CSeq: {cseqValue}\r\n" +
               extraHeaders +
               $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n" + body;
    }

    public static async Task<string> ReceiveTextAsync(UdpClient client)
    {
        using var cts = new CancellationTokenSource(Bound);
        var result = await client.ReceiveAsync(cts.Token);
        return Encoding.UTF8.GetString(result.Buffer);
    }

    /// <summary>Reads from a TCP stream until <paramref name="until"/> appears or the peer closes; "" on close.</summary>
    public static async Task<string> ReadTcpAsync(NetworkStream stream, string until = "\r\n\r\n")
    {
        using var cts = new CancellationTokenSource(Bound);
        var sb = new StringBuilder();
        var buffer = new byte[4096];
        while (!sb.ToString().Contains(until, StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, cts.Token);
            if (n == 0)
            {
                break;
            }

            sb.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return sb.ToString();
    }

    public async ValueTask DisposeAsync() => await Transport.DisposeAsync();
}
