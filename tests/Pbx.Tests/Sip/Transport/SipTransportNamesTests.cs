using System.Net;
using System.Text;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;
using Telephony.Pbx.Sip.Transactions;
using Telephony.Pbx.Sip.Transport;
using Xunit;

namespace Telephony.Pbx.Tests.Sip.Transport;

/// <summary>
/// SIP over TLS without sockets: transport names in Via (RFC 3261 §20.42) and URIs (§19.1.1), <c>sips:</c> meaning TLS
/// (§19.1.2, §26.2.2, RFC 5630), our Via and Contact for a peer reached over TLS, and requests to a phone registered
/// over TLS going back over its connection.
/// </summary>
public sealed class SipTransportNamesTests
{
    [Theory]
    [InlineData(SipProtocol.Udp, "UDP", null)]
    [InlineData(SipProtocol.Tcp, "TCP", "tcp")]
    [InlineData(SipProtocol.Tls, "TLS", "tls")]
    public void Protocol_IsWrittenAsTheRfcTokens(SipProtocol protocol, string via, string? uriParameter)
    {
        Assert.Equal(via, SipTransportNames.ViaToken(protocol));
        Assert.Equal(uriParameter, SipTransportNames.UriParameter(protocol));
        Assert.True(SipTransportNames.TryParseViaToken(via.ToLowerInvariant(), out var parsed));
        Assert.Equal(protocol, parsed);
    }

    [Theory]
    [InlineData("WS")]
    [InlineData("SCTP")]
    [InlineData("")]
    [InlineData(null)]
    public void ViaToken_WeDoNotRun_IsRefused(string? token) =>
        Assert.False(SipTransportNames.TryParseViaToken(token, out _));

    [Theory]
    [InlineData("sip:1001@192.0.2.1", true, SipProtocol.Udp)]
    [InlineData("sip:1001@192.0.2.1;transport=udp", true, SipProtocol.Udp)]
    [InlineData("sip:1001@192.0.2.1;transport=TCP", true, SipProtocol.Tcp)]
    [InlineData("sip:1001@192.0.2.1:5061;transport=tls", true, SipProtocol.Tls)]
    [InlineData("sips:1001@192.0.2.1", true, SipProtocol.Tls)]
    [InlineData("SIPS:1001@192.0.2.1", true, SipProtocol.Tls)]
    [InlineData("sips:1001@192.0.2.1;transport=tcp", true, SipProtocol.Tls)] // §26.2.2: sips over TCP means TLS
    [InlineData("sips:1001@192.0.2.1;transport=udp", false, SipProtocol.Udp)] // no TLS over datagrams
    [InlineData("sip:1001@192.0.2.1;transport=ws", false, SipProtocol.Udp)]
    public void Uri_AsksForItsProtocol_SipsMeansTls(string text, bool known, SipProtocol expected)
    {
        var uri = SipUri.Parse(text);
        Assert.Equal(known, SipTransportNames.TryGetProtocol(uri, out var protocol));
        Assert.Equal(expected, protocol);
    }

    [Fact]
    public void DefaultPort_Is5061ForTls_5060Otherwise()
    {
        Assert.Equal(5061, SipTransportNames.DefaultPort(SipProtocol.Tls));
        Assert.Equal(5060, SipTransportNames.DefaultPort(SipProtocol.Tcp));
        Assert.Equal(5060, SipTransportNames.DefaultPort(SipProtocol.Udp));
    }

    [Fact]
    public void TlsEndPoint_IsReliable_AndPrintsTls()
    {
        var ep = new SipEndPoint(SipProtocol.Tls, new IPEndPoint(IPAddress.Loopback, 5061));
        Assert.True(ep.IsReliable);
        Assert.Equal("tls:127.0.0.1:5061", ep.ToString());
    }

    [Fact]
    public void ViaWithTls_Parses_TransportKept()
    {
        Assert.True(Via.TryParse("SIP/2.0/TLS 192.0.2.7:5061;branch=z9hG4bK776asdhds;rport", out var via));
        Assert.Equal("TLS", via.Transport);
        Assert.Equal(5061, via.Port);
    }

    [Fact]
    public void RequestWithSipsUris_Parses_SchemeKept()
    {
        var text = "INVITE sips:9000@pbx.example.com SIP/2.0\r\n" +
                   "Via: SIP/2.0/TLS 192.0.2.7:50000;branch=z9hG4bK-sips-1\r\n" +
                   "From: <sips:1001@pbx.example.com>;tag=a1\r\nTo: <sips:9000@pbx.example.com>\r\n" +
                   "Call-ID: sips-1@192.0.2.7\r\nCSeq: 1 INVITE\r\n" +
                   "Contact: <sip:1001@192.0.2.7:50000;transport=tls>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        Assert.True(SipMessageParser.TryParse(Encoding.ASCII.GetBytes(text), out var message, out var error), error?.ToString());
        var request = Assert.IsType<SipRequest>(message);
        Assert.Equal("sips", request.RequestUri.Scheme);
        Assert.True(SipTransportNames.TryGetProtocol(request.RequestUri, out var protocol));
        Assert.Equal(SipProtocol.Tls, protocol);
        Assert.Equal("TLS", request.TopVia!.Transport);
    }

    [Fact]
    public void StackForTlsPeer_ViaIsTls_ContactCarriesTransportTls_OnTheTlsPort()
    {
        var transport = new TlsCapableTransport();
        var stack = new SipStack(transport, null!, new LocalAddressResolver(IPAddress.Any, IPAddress.Parse("192.0.2.1")), "test");
        var phone = new SipEndPoint(SipProtocol.Tls, new IPEndPoint(IPAddress.Parse("192.0.2.7"), 50000));

        Assert.Equal("<sip:9000@192.0.2.1:5061;transport=tls>", stack.ContactFor(phone, "9000"));
        // RFC 3261 §12.1.1: answering a sips: Request-URI, the Contact is sips: (TLS implied, no transport parameter).
        Assert.Equal("<sips:9000@192.0.2.1:5061>", stack.ContactFor(phone, "9000", secure: true));
        var udpPhone = new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.8"), 5060));
        Assert.StartsWith("<sip:", stack.ContactFor(udpPhone, "9000", secure: true), StringComparison.Ordinal);
        var request = new SipRequest(SipMethod.Bye, SipUri.Parse("sip:1001@192.0.2.7:50000;transport=tls"));
        stack.AddVia(request, phone);
        Assert.Equal("TLS", request.TopVia!.Transport);
        Assert.Equal(5061, request.TopVia.Port);
        Assert.StartsWith("SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bK", request.Headers.Get(HeaderName.Via), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sip:1001@192.0.2.7:50000;transport=tls")]
    [InlineData("sips:1001@192.0.2.7:50000")]
    [InlineData("sip:1001@192.0.2.7:5060")] // even a Contact without a transport: the phone's TLS connection is the way
    public void PhoneRegisteredOverTls_IsReachedOverItsConnection(string contact)
    {
        var source = new SipEndPoint(SipProtocol.Tls, new IPEndPoint(IPAddress.Parse("192.0.2.7"), 50000));
        Assert.Equal(source, BridgedCall.ContactDestination(source, SipUri.Parse(contact)));
    }

    [Theory]
    [InlineData(5061, true)]
    [InlineData(0, true)]
    [InlineData(70000, false)]
    [InlineData(-1, false)]
    public void TlsPort_IsValidated(int port, bool valid)
    {
        var options = new PbxOptions { Sip = { TlsPort = port } };
        var problems = options.Validate();
        Assert.Equal(valid, !problems.Any(p => p.Contains("sip.tlsPort", StringComparison.Ordinal)));
    }

    [Fact]
    public void TlsPort_DefaultsTo5061() => Assert.Equal(5061, new SipOptions().TlsPort);

    private sealed class TlsCapableTransport : ISipTransport
    {
        private static readonly SipEndPoint[] Locals =
        [
            new(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5060)),
            new(SipProtocol.Tls, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5061)),
        ];

        public IReadOnlyList<SipEndPoint> LocalEndPoints => Locals;

        public Task StartAsync(IEnumerable<SipListenOptions> listeners, ISipMessageHandler handler, CancellationToken ct = default) =>
            Task.CompletedTask;

        public ValueTask<bool> SendAsync(SipMessage message, SipEndPoint remote, CancellationToken ct = default) =>
            ValueTask.FromResult(true);

        public SipEndPoint ResponseDestination(SipRequest request, SipEndPoint receivedFrom) => receivedFrom;

        public SipEndPoint GetLocalEndPoint(SipProtocol protocol) => Locals.First(l => l.Protocol == protocol);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
