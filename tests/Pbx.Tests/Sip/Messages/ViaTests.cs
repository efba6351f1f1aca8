using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Tests.Sip.Messages;

public sealed class ViaTests
{
    [Fact]
    public void Typical_via_parses_and_prints()
    {
        Assert.True(Via.TryParse("SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;rport", out var via));
        Assert.Equal("UDP", via.Transport);
        Assert.Equal("pc33.atlanta.example.com", via.Host);
        Assert.Equal(5066, via.Port);
        Assert.Equal("z9hG4bK776asdhds", via.Branch);
        Assert.True(via.HasRPort);
        Assert.Null(via.RPort);
        Assert.Equal("SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;rport", via.ToString());
    }

    [Fact]
    public void Setting_rport_and_received()
    {
        Assert.True(Via.TryParse("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa;rport", out var via));
        via.Received = "192.0.2.9";
        via.RPort = 5062;
        Assert.Equal(5062, via.RPort);
        Assert.Equal("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa;rport=5062;received=192.0.2.9", via.ToString());
        var fresh = new Via("TCP", "h.example.com") { RPort = 1 };
        Assert.True(fresh.HasRPort);
    }

    [Fact]
    public void Whitespace_around_separators_is_tolerated()
    {
        Assert.True(Via.TryParse("SIP  /    2.0   / udp  192.168.255.111   ; branch= z9hG4bK30239", out var via));
        Assert.Equal("UDP", via.Transport);
        Assert.Equal("192.168.255.111", via.Host);
        Assert.Equal("z9hG4bK30239", via.Branch);
    }

    [Fact]
    public void Ipv6_sent_by_and_received()
    {
        Assert.True(Via.TryParse("SIP/2.0/TCP [2001:db8::9:1]:5070;branch=z9hG4bKas3;received=[2001:db8::9:255]", out var via));
        Assert.Equal("[2001:db8::9:1]", via.Host);
        Assert.Equal(5070, via.Port);
        Assert.Equal("[2001:db8::9:255]", via.Received);
        Assert.True(Via.TryParse("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255", out var bare));
        Assert.Equal("2001:db8::9:255", bare.Received);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("SIP/2.0/UDP")]
    [InlineData("SIP/2.0/UDP 192.0.2.15;;,;,,")]
    [InlineData("SIP/7.0/UDP c.example.com")]
    [InlineData("HTTP/2.0/UDP c.example.com")]
    [InlineData("SIP/2.0 c.example.com")]
    [InlineData("SIP/2.0/UDPc.example.com")]
    [InlineData("SIP/2.0/UDP c.example.com:")]
    [InlineData("SIP/2.0/UDP c.example.com;branch=")]
    [InlineData("SIP/2.0/UDP c.example.com, SIP/2.0/UDP d.example.com")]
    public void Malformed_vias_are_rejected(string? text)
    {
        Assert.False(Via.TryParse(text, out _));
    }

    [Fact]
    public void Branch_without_value_is_bare_parameter_and_round_trips()
    {
        Assert.True(Via.TryParse("SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK;maddr=224.2.0.1;ttl=1", out var via));
        Assert.Equal("z9hG4bK", via.Branch);
        Assert.Equal("1", via.Parameters["ttl"]);
        Assert.Equal("SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK;maddr=224.2.0.1;ttl=1", via.ToString());
    }
}
