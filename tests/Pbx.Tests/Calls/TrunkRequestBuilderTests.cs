using System.Net;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Tests.Calls;

public sealed class TrunkRequestBuilderTests
{
    private static NameAddress Caller(string? name = "Ada") => new(SipUri.Parse("sip:+15550000001@invalid"), name);

    [Fact]
    public void DefaultPort_RequestUriIsNumberAtHost_FromPassesTheCaller()
    {
        var trunk = new TrunkOutboundOptions { Host = "127.0.0.2" };
        var a = TrunkRequestBuilder.Build(trunk, "+4930123456", Caller(), "+15550000001", "127.0.0.1");
        Assert.Equal("sip:+4930123456@127.0.0.2", a.RequestUri.ToString());
        Assert.Equal("\"Ada\" <sip:+15550000001@127.0.0.1>", a.From.ToString());
        Assert.Equal("<sip:+4930123456@127.0.0.2>", a.To.ToString());
        Assert.Equal("+4930123456", a.Number);
        Assert.Null(a.From.Tag);
    }

    [Fact]
    public void OtherPortAndTcp_AreInTheRequestUri()
    {
        var trunk = new TrunkOutboundOptions { Host = "10.1.2.3", Port = 5080, Transport = "tcp" };
        var a = TrunkRequestBuilder.Build(trunk, "100", Caller(), "1001", "10.1.2.1");
        Assert.Equal("sip:100@10.1.2.3:5080;transport=tcp", a.RequestUri.ToString());
    }

    [Fact]
    public void Ipv6Host_IsBracketed()
    {
        var trunk = new TrunkOutboundOptions { Host = "::1" };
        var a = TrunkRequestBuilder.Build(trunk, "100", Caller(), "1001", "[::1]");
        Assert.Equal("sip:100@[::1]", a.RequestUri.ToString());
    }

    [Fact]
    public void FixedCallerId_AndFromDomain_ReplaceTheCaller()
    {
        var trunk = new TrunkOutboundOptions { Host = "carrier.example", CallerId = "+4930999", FromDomain = "pbx.example" };
        var a = TrunkRequestBuilder.Build(trunk, "0301234", Caller(), "+15550000001", "192.0.2.1");
        Assert.Equal("<sip:+4930999@pbx.example>", a.From.ToString());
        Assert.Equal("sip:0301234@carrier.example", a.RequestUri.ToString());
    }

    [Fact]
    public void StripAndPrefix_ApplyToRequestUriAndTo()
    {
        var trunk = new TrunkOutboundOptions { Host = "127.0.0.2", StripDigits = 1, Prefix = "+49" };
        var a = TrunkRequestBuilder.Build(trunk, "030123456", Caller(), "1001", "127.0.0.1");
        Assert.Equal("sip:+4930123456@127.0.0.2", a.RequestUri.ToString());
        Assert.Equal("+4930123456", a.To.Uri.User);
        Assert.Equal("+4930123456", a.Number);
    }

    [Fact]
    public void UnknownCaller_IsAnonymous()
    {
        var trunk = new TrunkOutboundOptions { Host = "127.0.0.2" };
        var a = TrunkRequestBuilder.Build(trunk, "100", null, "", "127.0.0.1");
        Assert.Equal("<sip:anonymous@127.0.0.1>", a.From.ToString());
    }

    [Fact]
    public async Task Resolve_AddressLiteral_NeedsNoLookup()
    {
        var udp = await TrunkRequestBuilder.ResolveAsync(new TrunkOutboundOptions { Host = "127.0.0.2", Port = 5070 });
        Assert.Equal(new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.2"), 5070)), udp);
        var tcp = await TrunkRequestBuilder.ResolveAsync(new TrunkOutboundOptions { Host = "127.0.0.2", Transport = "tcp" });
        Assert.Equal(SipProtocol.Tcp, tcp!.Value.Protocol);
    }

    [Fact]
    public void Describe_ForLogs() =>
        Assert.Equal("tcp:carrier.example:5061", TrunkRequestBuilder.Describe(new TrunkOutboundOptions
        {
            Host = "carrier.example", Port = 5061, Transport = "tcp",
        }));
}
