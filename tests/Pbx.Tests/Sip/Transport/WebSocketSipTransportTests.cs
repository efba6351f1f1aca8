using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Tests.Sip.Transport;

/// <summary>
/// SIP over WebSocket (RFC 7118) without sockets: one SIP message per WebSocket message (§5.2, also when the message
/// comes in several frames), the Via fix-up for <c>.invalid</c> hosts, responses and new requests back over the
/// connection the contact registered on (§5), text frames, size limit, malformed requests answered, routing in
/// <see cref="SipTransports"/>, and the Via/URI transport names.
/// </summary>
public sealed class WebSocketSipTransportTests : IAsyncDisposable
{
    private static readonly IPEndPoint Browser = new(IPAddress.Parse("192.0.2.7"), 50312);
    private readonly WebSocketSipTransport _transport = new([
        new SipEndPoint(SipProtocol.Ws, new IPEndPoint(IPAddress.Loopback, 8080)),
        new SipEndPoint(SipProtocol.Wss, new IPEndPoint(IPAddress.Loopback, 8443))]);
    private readonly Handler _handler = new();
    private readonly FakeWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(10));
    private Task? _connection;

    public async ValueTask DisposeAsync()
    {
        _socket.PeerCloses();
        if (_connection is not null)
        {
            await _connection;
        }

        await _transport.DisposeAsync();
        _stop.Dispose();
    }

    private static string Register(string branch = "z9hG4bK776asdhds") =>
        "REGISTER sip:127.0.0.1 SIP/2.0\r\n" +
        $"Via: SIP/2.0/WS df7jal23ls0d.invalid;branch={branch}\r\n" +
        "Max-Forwards: 69\r\n" +
        "To: <sip:1001@127.0.0.1>\r\n" +
        "From: <sip:1001@127.0.0.1>;tag=5s4k\r\n" +
        "Call-ID: ws-register-1\r\n" +
        "CSeq: 1 REGISTER\r\n" +
        "Contact: <sip:kj3ie7@df7jal23ls0d.invalid;transport=ws>;expires=600\r\n" +
        "Content-Length: 0\r\n\r\n";

    private async Task StartAsync(SipProtocol protocol = SipProtocol.Ws)
    {
        await _transport.StartAsync([], _handler);
        _connection = _transport.RunConnectionAsync(_socket, protocol, Browser, _stop.Token);
    }

    [Fact]
    public async Task A_register_arrives_with_received_and_its_response_goes_back_as_one_text_message()
    {
        await StartAsync();
        _socket.PeerSends(Register());
        var (message, remote, local) = await _handler.Messages.Reader.ReadAsync(_stop.Token);

        var request = Assert.IsType<SipRequest>(message);
        Assert.Equal(new SipEndPoint(SipProtocol.Ws, Browser), remote);
        Assert.Equal(8080, local.EndPoint.Port);
        Assert.Equal("192.0.2.7", request.TopVia!.Received); // §18.2.1: the .invalid sent-by is not the source
        Assert.Equal("WS", request.TopVia.Transport);
        Assert.Equal(remote, _transport.ResponseDestination(request, remote));

        Assert.True(await _transport.SendAsync(SipResponse.CreateFor(request, 200, null, "t"), remote));
        var sent = await _socket.Sent.Reader.ReadAsync(_stop.Token);
        Assert.StartsWith("SIP/2.0 200 OK\r\n", sent, StringComparison.Ordinal);
        Assert.Equal(WebSocketMessageType.Text, Assert.Single(_socket.SentTypes));
        Assert.Equal(1, _transport.Counters.MessagesReceived);
        Assert.Equal(1, _transport.Counters.MessagesSent);
        Assert.True(_transport.IsConnected(remote));
    }

    [Fact]
    public async Task A_message_split_over_several_frames_is_one_sip_message()
    {
        await StartAsync();
        _socket.PeerSends(Register(), frameBytes: 37);
        var (message, _, _) = await _handler.Messages.Reader.ReadAsync(_stop.Token);
        Assert.Equal("ws-register-1", message.CallId);
    }

    [Fact]
    public async Task A_request_to_the_contact_goes_over_its_connection_and_fails_once_it_closed()
    {
        await StartAsync();
        _socket.PeerSends(Register());
        var (_, remote, _) = await _handler.Messages.Reader.ReadAsync(_stop.Token);
        var invite = new SipRequest(SipMethod.Invite, SipUri.Parse("sip:kj3ie7@df7jal23ls0d.invalid;transport=ws"));
        invite.Headers.Add(HeaderName.Via, "SIP/2.0/WS 127.0.0.1:8080;branch=z9hG4bKabc");
        invite.Headers.Add(HeaderName.CallId, "c1");

        Assert.True(await _transport.SendAsync(invite, remote));
        Assert.StartsWith("INVITE sip:kj3ie7@df7jal23ls0d.invalid;transport=ws SIP/2.0", await _socket.Sent.Reader.ReadAsync(_stop.Token),
            StringComparison.Ordinal);

        _socket.PeerCloses();
        await _connection!;
        _connection = null;
        Assert.False(_transport.IsConnected(remote));
        Assert.False(await _transport.SendAsync(invite, remote));
        Assert.Equal(1, _transport.Counters.SendFailures);
        Assert.Equal(0, _transport.OpenConnections);
    }

    [Fact]
    public async Task Over_wss_the_peer_is_a_wss_endpoint_on_the_https_port()
    {
        await StartAsync(SipProtocol.Wss);
        _socket.PeerSends(Register());
        var (_, remote, local) = await _handler.Messages.Reader.ReadAsync(_stop.Token);
        Assert.Equal(SipProtocol.Wss, remote.Protocol);
        Assert.Equal(8443, local.EndPoint.Port);
        Assert.Equal("wss:192.0.2.7:50312", remote.ToString());
    }

    [Fact]
    public async Task A_malformed_request_with_usable_headers_is_answered_400_and_a_keepalive_ignored()
    {
        await StartAsync();
        _socket.PeerSends("\r\n\r\n");
        _socket.PeerSends(Register().Replace("CSeq: 1 REGISTER", "CSeq: 1 INVITE", StringComparison.Ordinal));
        var sent = await _socket.Sent.Reader.ReadAsync(_stop.Token);
        Assert.StartsWith("SIP/2.0 400", sent, StringComparison.Ordinal);
        Assert.Equal(1, _transport.Counters.ParseErrors);
        Assert.False(_handler.Messages.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_the_connection_with_1009()
    {
        await StartAsync();
        _socket.PeerSends(Register() + new string('x', WebSocketSipTransport.MaxMessageBytes), frameBytes: 4096);
        await _connection!;
        _connection = null;
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, _socket.ClosedWith);
        Assert.Equal(1, _transport.Counters.ParseErrors);
    }

    [Fact]
    public async Task Before_start_a_connection_is_refused()
    {
        await _transport.RunConnectionAsync(_socket, SipProtocol.Ws, Browser, _stop.Token);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, _socket.ClosedWith);
    }

    [Fact]
    public async Task SipTransports_routes_by_protocol()
    {
        await using var sockets = new RecordingTransport();
        var transports = new SipTransports(sockets, _transport);
        await transports.StartAsync([], _handler);
        _connection = _transport.RunConnectionAsync(_socket, SipProtocol.Ws, Browser, _stop.Token);
        var udp = new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060));
        var ws = new SipEndPoint(SipProtocol.Ws, Browser);
        var options = new SipRequest(SipMethod.Options, SipUri.Parse("sip:127.0.0.1"));

        Assert.True(await transports.SendAsync(options, udp));
        _socket.PeerSends(Register());
        await _handler.Messages.Reader.ReadAsync(_stop.Token);
        Assert.True(await transports.SendAsync(options, ws));
        Assert.Equal([udp], sockets.SentTo);
        Assert.Equal(8080, transports.GetLocalEndPoint(SipProtocol.Ws).EndPoint.Port);
        Assert.Equal(5060, transports.GetLocalEndPoint(SipProtocol.Udp).EndPoint.Port);
        Assert.Equal(3, transports.LocalEndPoints.Count);
    }

    [Fact]
    public async Task A_closed_connection_is_reported_and_takes_its_bindings_with_it()
    {
        var table = new Telephony.Pbx.Sip.Registrar.LocationTable();
        var removed = new List<string>();
        table.BindingRemoved += (_, e) => removed.Add(e.Binding.ContactUri);
        _transport.ConnectionClosed += (_, peer) => table.RemoveBySource(peer);
        var ws = new SipEndPoint(SipProtocol.Ws, Browser);
        var udp = new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.8"), 5060));
        table.Update("1001", "a", 1, [new("sip:kj3ie7@df7jal23ls0d.invalid;transport=ws", TimeSpan.FromMinutes(10), 1.0, null)], ws);
        table.Update("1001", "b", 1, [new("sip:1001@192.0.2.8", TimeSpan.FromMinutes(10), 1.0, null)], udp);
        await StartAsync();

        _socket.PeerCloses();
        await _connection!;
        _connection = null;

        Assert.Equal(["sip:kj3ie7@df7jal23ls0d.invalid;transport=ws"], removed);
        Assert.Equal("sip:1001@192.0.2.8", Assert.Single(table.GetBindings("1001")).ContactUri); // the desk phone stays
    }

    [Theory]
    [InlineData(SipProtocol.Udp, "UDP", null, false)]
    [InlineData(SipProtocol.Tcp, "TCP", "tcp", false)]
    [InlineData(SipProtocol.Tls, "TLS", "tls", false)]
    [InlineData(SipProtocol.Ws, "WS", "ws", true)]
    [InlineData(SipProtocol.Wss, "WSS", "wss", true)]
    public void Transport_names_follow_rfc_7118(SipProtocol protocol, string via, string? parameter, bool webSocket)
    {
        Assert.Equal(via, SipTransportNames.ViaToken(protocol));
        Assert.Equal(parameter, SipTransportNames.UriParameter(protocol));
        Assert.Equal(webSocket, protocol.IsWebSocket());
        Assert.True(!webSocket || new SipEndPoint(protocol, Browser).IsReliable); // no retransmissions over a stream
    }

    private sealed class Handler : ISipMessageHandler
    {
        public Channel<(SipMessage, SipEndPoint, SipEndPoint)> Messages { get; } = Channel.CreateUnbounded<(SipMessage, SipEndPoint, SipEndPoint)>();

        public ValueTask OnMessageAsync(SipMessage message, SipEndPoint remote, SipEndPoint local)
        {
            Messages.Writer.TryWrite((message, remote, local));
            return ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingTransport : ISipTransport
    {
        public List<SipEndPoint> SentTo { get; } = [];
        public IReadOnlyList<SipEndPoint> LocalEndPoints { get; } = [new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060))];
        public Task StartAsync(IEnumerable<SipListenOptions> listeners, ISipMessageHandler handler, CancellationToken ct = default) => Task.CompletedTask;

        public ValueTask<bool> SendAsync(SipMessage message, SipEndPoint remote, CancellationToken ct = default)
        {
            SentTo.Add(remote);
            return ValueTask.FromResult(true);
        }

        public SipEndPoint ResponseDestination(SipRequest request, SipEndPoint receivedFrom) => receivedFrom;
        public SipEndPoint GetLocalEndPoint(SipProtocol protocol) => LocalEndPoints[0];
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
