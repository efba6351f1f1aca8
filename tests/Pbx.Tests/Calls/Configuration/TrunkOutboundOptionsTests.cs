using Telephony.Pbx.Calls.Configuration;

namespace Telephony.Pbx.Tests.Calls.Configuration;

public sealed class TrunkOutboundOptionsTests
{
    private static TrunkOutboundOptions Valid() => new() { Host = "127.0.0.2", Port = 5060, Transport = "udp" };

    [Theory]
    [InlineData(0, "", "+4930123456", "+4930123456")]
    [InlineData(1, "", "0030123456", "030123456")]
    [InlineData(1, "+49", "030123456", "+4930123456")]
    [InlineData(0, "9", "5551234", "95551234")]
    [InlineData(5, "", "123", "")]
    [InlineData(3, "+1", "123", "+1")]
    public void DialString_StripsThenPrefixes(int strip, string prefix, string number, string expected)
    {
        var o = Valid();
        o.StripDigits = strip;
        o.Prefix = prefix;
        Assert.Equal(expected, o.DialString(number));
    }

    [Fact]
    public void Defaults_AreUdp5060_NoCredentials_PassCallerId()
    {
        var o = new TrunkOutboundOptions();
        Assert.Equal(5060, o.Port);
        Assert.Equal("udp", o.Transport);
        Assert.False(o.IsTcp);
        Assert.False(o.HasCredentials);
        Assert.Equal("", o.CallerId);
    }

    [Fact]
    public void Valid_HasNoProblems() => Assert.Empty(Valid().Validate("trunks[0].outbound"));

    [Theory]
    [InlineData("carrier.example.com")]
    [InlineData("::1")]
    [InlineData("10.0.0.1")]
    public void Host_MayBeAddressOrName(string host)
    {
        var o = Valid();
        o.Host = host;
        Assert.Empty(o.Validate("k"));
    }

    [Fact]
    public void Tcp_IsCaseInsensitive()
    {
        var o = Valid();
        o.Transport = "TCP";
        Assert.True(o.IsTcp);
        Assert.Empty(o.Validate("k"));
    }

    [Theory]
    [InlineData("host", "", "trunks[0].outbound.host is empty")]
    [InlineData("host", "bad host!", "trunks[0].outbound.host 'bad host!' is not an IP address or host name")]
    [InlineData("port", "0", "trunks[0].outbound.port 0 is not a port number (1-65535)")]
    [InlineData("port", "70000", "trunks[0].outbound.port 70000 is not a port number (1-65535)")]
    [InlineData("transport", "tls", "trunks[0].outbound.transport 'tls' must be udp or tcp")]
    [InlineData("password", "secret", "trunks[0].outbound.password is set but trunks[0].outbound.username is empty")]
    [InlineData("stripDigits", "-1", "trunks[0].outbound.stripDigits -1 must be 0 or more")]
    [InlineData("prefix", "00x", "trunks[0].outbound.prefix '00x' may hold only digits")]
    [InlineData("callerId", "main line", "trunks[0].outbound.callerId 'main line' may hold only digits")]
    [InlineData("fromDomain", "a b", "trunks[0].outbound.fromDomain 'a b' is not a host name or IP address")]
    public void Validate_NamesTheKey(string key, string value, string expectedStart)
    {
        var o = Valid();
        switch (key)
        {
            case "host": o.Host = value; break;
            case "port": o.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "transport": o.Transport = value; break;
            case "password": o.Password = value; break;
            case "stripDigits": o.StripDigits = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "prefix": o.Prefix = value; break;
            case "callerId": o.CallerId = value; break;
            case "fromDomain": o.FromDomain = value; break;
        }
        var problem = Assert.Single(o.Validate("trunks[0].outbound"));
        Assert.StartsWith(expectedStart, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void PbxOptions_ValidatesOutboundTrunks_WithIndexedKeys()
    {
        var options = new PbxOptions
        {
            Trunks =
            [
                new TrunkOptions { Name = "in-only", AllowFrom = ["127.0.0.2"] },
                new TrunkOptions { Name = "carrier", Outbound = new TrunkOutboundOptions { Host = "127.0.0.3", Transport = "sctp" } },
            ],
        };
        var problem = Assert.Single(options.Validate());
        Assert.Equal("trunks[1].outbound.transport 'sctp' must be udp or tcp", problem);
    }

    [Fact]
    public void PbxOptions_OutboundTrunkNeedsAUniqueName()
    {
        var options = new PbxOptions
        {
            Trunks =
            [
                new TrunkOptions { Name = "", Outbound = Valid() },
                new TrunkOptions { Name = "carrier", Outbound = Valid() },
                new TrunkOptions { Name = "carrier" },
            ],
        };
        var problems = options.Validate();
        Assert.Contains(problems, p => p.StartsWith("trunks[0].name is empty", StringComparison.Ordinal));
        Assert.Contains("trunks[2].name 'carrier' is defined twice", problems);
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void PbxOptions_InboundOnlyTrunkWithoutName_StaysValid()
    {
        var options = new PbxOptions { Trunks = [new TrunkOptions { AllowFrom = ["127.0.0.2"] }] };
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void FindTrunk_ByExactName()
    {
        var carrier = new TrunkOptions { Name = "carrier", Outbound = Valid() };
        var options = new PbxOptions { Trunks = [new TrunkOptions { Name = "local" }, carrier] };
        Assert.Same(carrier, options.FindTrunk("carrier"));
        Assert.Null(options.FindTrunk("Carrier"));
        Assert.Null(options.FindTrunk(null));
    }
}
