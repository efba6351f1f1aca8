using System.Net;
using System.Net.Sockets;
using System.Text;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;
using static Telephony.Pbx.Tests.Sip.Transport.LoopbackPeer;

namespace Telephony.Pbx.Tests.Sip.Transport;

public class SipTransportLayerTcpTests
{
    private static async Task<TcpClient> ConnectAsync(LoopbackPeer peer)
    {
        var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(peer.Tcp);
        return client;
    }

    [Fact]
    public async Task TwoMessagesInOneSegment_BothFramed()
    {
        await using var peer = await StartAsync();
        using var client = await ConnectAsync(peer);
        var both = Request(transport: "TCP", branch: "z9hG4bK1", body: "v=0\r\n", extraHeaders: "Content-Type: application/sdp\r\n")
                   + Request(transport: "TCP", branch: "z9hG4bK2");

        await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(both));

        var first = await peer.NextAsync();
        var second = await peer.NextAsync();
        Assert.Equal("z9hG4bK1", first.Message.TopVia!.Branch);
        Assert.Equal("v=0\r\n", Encoding.UTF8.GetString(first.Message.Body));
        Assert.Equal("z9hG4bK2", second.Message.TopVia!.Branch);
        Assert.Equal(SipProtocol.Tcp, first.Remote.Protocol);
        Assert.Equal(1, peer.Transport.Counters.TcpConnectionsAccepted);
    }

    [Fact]
    public async Task MessageSplitAcrossSegments_WithLeadingKeepAlive_Reassembled()
    {
        await using var peer = await StartAsync();
        using var client = await ConnectAsync(peer);
        var stream = client.GetStream();
        var bytes = Encoding.UTF8.GetBytes("\r\n\r\n" + Request(transport: "TCP", body: "hello body"));

        foreach (var chunk in bytes.Chunk(37))
        {
            await stream.WriteAsync(chunk);
            await stream.FlushAsync();
            await Task.Delay(2);
        }

        var (message, _, _) = await peer.NextAsync();
        Assert.Equal("hello body", Encoding.UTF8.GetString(message.Body));
        Assert.Equal(0, peer.Transport.Counters.ParseErrors);
    }

    [Fact]
    public async Task ResponseReusesInboundConnection()
    {
        await using var peer = await StartAsync();
        using var client = await ConnectAsync(peer);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(Request(transport: "TCP", callId: "tcp-reuse")));
        var (message, remote, _) = await peer.NextAsync();

        var destination = peer.Transport.ResponseDestination((SipRequest)message, remote);
        Assert.Equal(remote, destination);
        Assert.True(await peer.Transport.SendAsync(SipResponse.CreateFor((SipRequest)message, 200, null, "t"), destination));

        var text = await ReadTcpAsync(stream);
        Assert.StartsWith("SIP/2.0 200 OK", text, StringComparison.Ordinal);
        Assert.Contains("tcp-reuse", text, StringComparison.Ordinal);
        Assert.Equal(0, peer.Transport.Counters.TcpConnectionsOpened);
    }

    [Fact]
    public async Task ContentLengthTooLarge_Answered413_AndClosed()
    {
        await using var peer = await StartAsync();
        using var client = await ConnectAsync(peer);
        var stream = client.GetStream();
        var head = Request(transport: "TCP", callId: "too-big").Replace("Content-Length: 0", "Content-Length: 100000",
            StringComparison.Ordinal);

        await stream.WriteAsync(Encoding.UTF8.GetBytes(head));

        var text = await ReadTcpAsync(stream, until: "\u0000never");   // read until the server closes
        Assert.StartsWith("SIP/2.0 413", text, StringComparison.Ordinal);
        Assert.Contains("too-big", text, StringComparison.Ordinal);
        await EventuallyAsync(() => peer.Transport.Counters.TcpConnectionsOpen == 0);
    }

    [Fact]
    public async Task MissingContentLength_Answered400_AndClosed()
    {
        await using var peer = await StartAsync();
        using var client = await ConnectAsync(peer);
        var stream = client.GetStream();
        var head = Request(transport: "TCP").Replace("Content-Length: 0\r\n", "", StringComparison.Ordinal);

        await stream.WriteAsync(Encoding.UTF8.GetBytes(head));

        var text = await ReadTcpAsync(stream, until: "\u0000never");
        Assert.StartsWith("SIP/2.0 400", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndlessHeaderSection_ClosedWithoutAnswer()
    {
        await using var peer = await StartAsync();
        using var client = await ConnectAsync(peer);
        var stream = client.GetStream();
        var line = Encoding.ASCII.GetBytes("X-Filler: " + new string('a', 1000) + "\r\n");

        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("OPTIONS sip:x@127.0.0.1 SIP/2.0\r\n"));
            for (var i = 0; i < 80; i++)
            {
                await stream.WriteAsync(line);
            }
        }
        catch (IOException)
        {
            // the server may already have closed
        }

        var text = await ReadTcpAsync(stream, until: "\u0000never");
        Assert.Equal("", text);
        await EventuallyAsync(() => peer.Transport.Counters.Dropped == 1);
    }

    [Fact]
    public async Task MalformedFrame_Answered400_ConnectionStaysUsable()
    {
        await using var peer = await StartAsync();
        using var client = await ConnectAsync(peer);
        var stream = client.GetStream();

        await stream.WriteAsync(Encoding.UTF8.GetBytes(Request(transport: "TCP", cseq: "1 INVITE", callId: "bad-tcp")));
        var text = await ReadTcpAsync(stream);
        Assert.StartsWith("SIP/2.0 400", text, StringComparison.Ordinal);

        await stream.WriteAsync(Encoding.UTF8.GetBytes(Request(transport: "TCP", callId: "good-tcp")));
        var (message, _, _) = await peer.NextAsync();
        Assert.Equal("good-tcp", message.CallId);
    }

    [Fact]
    public async Task OutboundConnect_ThenReplyComesBackOnSameConnection()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        var request = new SipRequest(SipMethod.Options, SipUri.Parse("sip:b@127.0.0.1"));
        var aTcp = a.Transport.GetLocalEndPoint(SipProtocol.Tcp).EndPoint;
        request.Headers.Add(HeaderName.Via, $"SIP/2.0/TCP 127.0.0.1:{aTcp.Port};branch=z9hG4bKout");
        request.Headers.Add(HeaderName.MaxForwards, "70");
        request.Headers.Add(HeaderName.From, "<sip:a@127.0.0.1>;tag=1");
        request.Headers.Add(HeaderName.To, "<sip:b@127.0.0.1>");
        request.Headers.Add(HeaderName.CallId, "outbound-1");
        request.Headers.Add(HeaderName.CSeq, "1 OPTIONS");

        Assert.True(await a.Transport.SendAsync(request, new SipEndPoint(SipProtocol.Tcp, b.Tcp)));
        var (received, remote, _) = await b.NextAsync();
        Assert.True(await b.Transport.SendAsync(SipResponse.CreateFor((SipRequest)received, 200, null, "t"),
            b.Transport.ResponseDestination((SipRequest)received, remote)));
        var (response, _, _) = await a.NextAsync();

        Assert.Equal(200, Assert.IsType<SipResponse>(response).StatusCode);
        Assert.Equal(1, a.Transport.Counters.TcpConnectionsOpened);
        Assert.Equal(1, b.Transport.Counters.TcpConnectionsAccepted);
        Assert.Equal(0, b.Transport.Counters.TcpConnectionsOpened);
    }

    [Fact]
    public async Task ConnectRefused_ReturnsFalse()
    {
        await using var peer = await StartAsync();
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var dead = (IPEndPoint)probe.LocalEndpoint;
        probe.Stop();

        Assert.False(await peer.Transport.SendAsync(new SipResponse(200), new SipEndPoint(SipProtocol.Tcp, dead)));
        Assert.Equal(1, peer.Transport.Counters.SendFailures);
    }

    [Fact]
    public async Task IdleConnection_Closed()
    {
        await using var peer = await StartAsync();
        peer.Transport.TcpIdleTimeout = TimeSpan.FromMilliseconds(200);
        using var client = await ConnectAsync(peer);

        var text = await ReadTcpAsync(client.GetStream(), until: "\u0000never");

        Assert.Equal("", text);
        await EventuallyAsync(() => peer.Transport.Counters.TcpConnectionsOpen == 0);
    }

    [Fact]
    public async Task ResponseAfterConnectionClosed_ConnectsToViaSentByPort()
    {
        await using var server = await StartAsync();
        await using var client = await StartAsync();
        using (var raw = await ConnectAsync(server))
        {
            var invite = Request(transport: "TCP", callId: "reconnect").Replace("192.0.2.1:5999",
                "127.0.0.1:" + client.Tcp.Port, StringComparison.Ordinal);
            await raw.GetStream().WriteAsync(System.Text.Encoding.UTF8.GetBytes(invite));
            var (message, remote, _) = await server.NextAsync();
            raw.Close();
            await EventuallyAsync(() => server.Transport.Counters.TcpConnectionsOpen == 0);

            var response = SipResponse.CreateFor((SipRequest)message, 200, null, "t");
            Assert.True(await server.Transport.SendAsync(response, server.Transport.ResponseDestination((SipRequest)message, remote)));
        }

        var (received, _, _) = await client.NextAsync();
        Assert.Equal("reconnect", received.CallId);
        Assert.Equal(1, server.Transport.Counters.TcpConnectionsOpened);
    }
}
