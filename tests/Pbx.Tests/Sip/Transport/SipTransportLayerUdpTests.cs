using System.Net;
using System.Net.Sockets;
using System.Text;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;
using Telephony.Pbx.Sip.Transport;
using static Telephony.Pbx.Tests.Sip.Transport.LoopbackPeer;

namespace Telephony.Pbx.Tests.Sip.Transport;

public class SipTransportLayerUdpTests
{
    [Fact]
    public async Task Port0_ReportsRealPorts()
    {
        await using var peer = await StartAsync();
        Assert.Equal(2, peer.Transport.LocalEndPoints.Count);
        Assert.All(peer.Transport.LocalEndPoints, ep => Assert.NotEqual(0, ep.EndPoint.Port));
        Assert.StartsWith("udp:127.0.0.1:", peer.Transport.GetLocalEndPoint(SipProtocol.Udp).ToString());
    }

    [Fact]
    public async Task Request_ViaFixedUp_ReceivedAndRport_ResponseGoesToSourcePort()
    {
        await using var peer = await StartAsync();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var clientEp = (IPEndPoint)client.Client.LocalEndPoint!;

        await client.SendAsync(Encoding.UTF8.GetBytes(Request()), peer.Udp);
        var (message, remote, local) = await peer.NextAsync();

        var request = Assert.IsType<SipRequest>(message);
        Assert.Equal("127.0.0.1", request.TopVia!.Received);
        Assert.Equal(clientEp.Port, request.TopVia.RPort);
        Assert.Equal(clientEp, remote.EndPoint);
        Assert.Equal(peer.Udp, local.EndPoint);
        var destination = peer.Transport.ResponseDestination(request, remote);
        Assert.Equal(clientEp, destination.EndPoint);

        Assert.True(await peer.Transport.SendAsync(SipResponse.CreateFor(request, 200, null, "t"), destination));
        var text = await ReceiveTextAsync(client);
        Assert.StartsWith("SIP/2.0 200 OK", text, StringComparison.Ordinal);
        Assert.Contains("rport=" + clientEp.Port, text, StringComparison.Ordinal);
        Assert.Equal(1, peer.Transport.Counters.MessagesReceived);
        Assert.Equal(1, peer.Transport.Counters.MessagesSent);
    }

    [Fact]
    public void ResponseDestination_WithoutRport_UsesSentByPort()
    {
        var transport = new SipTransportLayer();
        var request = new SipRequest(SipMethod.Options, SipUri.Parse("sip:x@127.0.0.1"));
        request.Headers.Add(HeaderName.Via, "SIP/2.0/UDP 192.0.2.1:5999;branch=z9hG4bKx;received=127.0.0.2");
        var source = new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.2"), 40000));

        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 5999), transport.ResponseDestination(request, source).EndPoint);

        var tcp = source with { Protocol = SipProtocol.Tcp };
        Assert.Equal(tcp, transport.ResponseDestination(request, tcp));
    }

    [Fact]
    public async Task MalformedRequestWithUsableHeaders_Answered400_BySender()
    {
        await using var peer = await StartAsync();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync(Encoding.UTF8.GetBytes(Request(cseq: "1 INVITE", callId: "bad-1")), peer.Udp);

        var text = await ReceiveTextAsync(client);
        Assert.StartsWith("SIP/2.0 400", text, StringComparison.Ordinal);
        Assert.Contains("bad-1", text, StringComparison.Ordinal);
        // The counter moves once the send completes, which can be just after the datagram reached us.
        await LoopbackPeer.EventuallyAsync(() => peer.Transport.Counters.AnsweredMalformed == 1);
        Assert.Equal(1, peer.Transport.Counters.AnsweredMalformed);
        Assert.Equal(0, peer.Transport.Counters.MessagesReceived);
        Assert.Equal(1, peer.Transport.Counters.ParseErrorsByReason[SipParseErrorReason.MethodMismatch]);
    }

    [Fact]
    public async Task BinaryGarbage_DroppedAndCounted_LoopSurvives()
    {
        await using var peer = await StartAsync();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var garbage = new byte[300];
        new Random(42).NextBytes(garbage);
        garbage[0] = 0;

        await client.SendAsync(garbage, peer.Udp);
        await client.SendAsync("\r\n\r\n"u8.ToArray(), peer.Udp);   // keep-alive: ignored, not an error
        await client.SendAsync(Encoding.UTF8.GetBytes(Request()), peer.Udp);
        await peer.NextAsync();

        Assert.Equal(1, peer.Transport.Counters.ParseErrors);
        Assert.Equal(1, peer.Transport.Counters.Dropped);
        Assert.Equal(0, peer.Transport.Counters.AnsweredMalformed);
        Assert.Equal(0, client.Available);
    }

    [Fact]
    public async Task GarbageResponse_NotAnswered()
    {
        await using var peer = await StartAsync();
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync("SIP/2.0 2x0 OK\r\nVia: SIP/2.0/UDP 1.2.3.4\r\n\r\n"u8.ToArray(), peer.Udp);
        // The parse error is counted before the datagram is dropped (RejectAsync): wait for both, then check neither moves on.
        await EventuallyAsync(() => peer.Transport.Counters.ParseErrors == 1 && peer.Transport.Counters.Dropped == 1);

        Assert.Equal(1, peer.Transport.Counters.ParseErrors);
        Assert.Equal(1, peer.Transport.Counters.Dropped);
    }

    [Fact]
    public async Task HandlerException_LoopSurvives_PortUnreachableSurvives()
    {
        await using var peer = await StartAsync();
        var calls = 0;
        peer.Handler.Handle = (m, r, l) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("boom");
            }

            return peer.Inbox.Writer.WriteAsync((m, r, l));
        };
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        // Send to a closed port first: Linux may report ICMP port unreachable on the next receive.
        using (var closed = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            var deadEp = (IPEndPoint)closed.Client.LocalEndPoint!;
            closed.Close();
            var probe = new SipResponse(200);
            await peer.Transport.SendAsync(probe, new SipEndPoint(SipProtocol.Udp, deadEp));
        }

        await client.SendAsync(Encoding.UTF8.GetBytes(Request(branch: "z9hG4bKa")), peer.Udp);
        await client.SendAsync(Encoding.UTF8.GetBytes(Request(branch: "z9hG4bKb")), peer.Udp);

        var (message, _, _) = await peer.NextAsync();
        Assert.Equal("z9hG4bKb", message.TopVia!.Branch);
        Assert.Equal(1, peer.Transport.Counters.HandlerErrors);
    }

    [Fact]
    public async Task Ipv6Loopback_WhenAvailable()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }

        LoopbackPeer peer;
        try
        {
            peer = await StartAsync(IPAddress.IPv6Loopback);
        }
        catch (SocketException)
        {
            return; // ::1 not configured in this container
        }

        await using (peer)
        {
            using var client = new UdpClient(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            Assert.StartsWith("udp:[::1]:", peer.Transport.GetLocalEndPoint(SipProtocol.Udp).ToString());
            await client.SendAsync(Encoding.UTF8.GetBytes(Request()), peer.Udp);
            var (message, remote, _) = await peer.NextAsync();
            Assert.Equal("::1", message.TopVia!.Received);
            Assert.Equal(IPAddress.IPv6Loopback, peer.Transport.ResponseDestination((SipRequest)message, remote).EndPoint.Address);
        }
    }
}
